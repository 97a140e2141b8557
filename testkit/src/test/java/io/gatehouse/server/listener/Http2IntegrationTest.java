package io.gatehouse.server.listener;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.tls.TestCertificates;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 clients through the proxy: 16 MiB bodies both ways over TLS, concurrent streams on one
 * connection, the floods HTTP/2 allows (rapid reset, CONTINUATION, PING) ending in
 * {@code GOAWAY} instead of unbounded work, and a drain telling clients to go away.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Http2IntegrationTest {

    private static final int SIZE = 16 * 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ENHANCE_YOUR_CALM = 0xb;

    @TempDir
    static Path dir;
    private static TestOrigin origin;
    private static GatehouseServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Generated certificate = TestCertificates.selfSigned(dir, "h2", "EC", "127.0.0.1");
        origin = TestOrigin.start(Reply.status(200).body(SIZE, () -> new Generated(SIZE)))
                .answer("/upload", Reply.raw(exchange -> {
                    CRC32C crc = new CRC32C();
                    long count = 0;
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = exchange.body().read(buffer)) >= 0; ) {
                        crc.update(buffer, 0, n);
                        count += n;
                    }
                    String answer = count + " " + Long.toHexString(crc.getValue());
                    exchange.write("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer);
                }))
                .answer("/small", Reply.ok("small"));
        String yaml = """
                server:
                  upstream: %s
                  listen:
                    - { address: "127.0.0.1:0", tls: { certificate: h2.crt.pem, key: h2.key.pem } }
                    - { address: "127.0.0.1:0", http2: true }
                plugins: { directory: plugins }
                """.formatted(origin.url());
        server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml, "h2.yaml"), List.of());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TestCertificates.trusting(certificate.leaf()))
                .connectTimeout(WAIT).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static URI tls(String path) {
        return URI.create("https://127.0.0.1:" + server.addresses().get(0).getPort() + path);
    }

    @Test
    void sixteenMebibytesStreamToTheClientOverHttp2() throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(tls("/download")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        CRC32C crc = new CRC32C();
        long count = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(SIZE);
        assertThat(crc.getValue()).isEqualTo(Generated.crc(SIZE));
    }

    @Test
    void sixteenMebibytesStreamToTheOriginOverHttp2() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(tls("/upload")).timeout(WAIT)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(SIZE + " " + Long.toHexString(Generated.crc(SIZE)));
        assertThat(origin.lastRequest().header("Transfer-Encoding")).as("relayed as it arrives").hasValue("chunked");
        assertThat(origin.lastRequest().header("Via")).hasValue("2 gatehouse");
    }

    @Test
    void concurrentStreamsOnOneConnectionEachGetTheirAnswer() {
        List<CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(tls("/small?n=" + i)).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> done = response.orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.body()).isEqualTo("small");
        }
    }

    @Test
    void rapidResetIsAnsweredWithGoAway() throws Exception {
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            int streams = H2FloodGuard.BURST + 50;
            for (int i = 0; i < streams; i++) {
                int stream = 1 + 2 * i;
                RawH2.frame(out, 0x1, 0x4 | 0x1, stream, GET_HEADERS); // HEADERS, END_HEADERS | END_STREAM
                RawH2.frame(out, 0x3, 0, stream, new byte[] {0, 0, 0, 0x8}); // RST_STREAM CANCEL
            }
            out.flush();

            Ending ending = readUntilEnd(socket.getInputStream());
            assertThat(ending.goAway()).isIn(ENHANCE_YOUR_CALM, -1);
        }
    }

    @Test
    void aPingFloodIsAnsweredWithGoAway() throws Exception {
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < H2FloodGuard.BURST + 50; i++) {
                RawH2.frame(out, 0x6, 0, 0, new byte[8]); // PING
            }
            out.flush();

            Ending ending = readUntilEnd(socket.getInputStream());
            assertThat(ending.goAway()).isIn(ENHANCE_YOUR_CALM, -1);
            assertThat(ending.pingAcks()).as("PINGs answered before the end: the burst, and what refilled meanwhile")
                    .isLessThanOrEqualTo(H2FloodGuard.BURST + 10);
        }
    }

    @Test
    void aContinuationFloodEndsTheConnection() throws Exception {
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            RawH2.frame(out, 0x1, 0x1, 1, GET_HEADERS); // HEADERS without END_HEADERS
            for (int i = 0; i < ListenerSet.MAX_CONTINUATIONS + 10; i++) {
                RawH2.frame(out, 0x9, 0, 1, new byte[] {0x40, 0x01, 'x', 0x01, 'y'}); // CONTINUATION: x: y
            }
            out.flush();

            assertThat(readUntilEnd(socket.getInputStream()).goAway()).as("a GOAWAY with an error code, or a reset")
                    .isNotEqualTo(0);
        }
    }

    @Test
    void normalTrafficStaysWellInsideTheBudgets() throws Exception {
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 50; i++) {
                RawH2.frame(out, 0x6, 0, 0, new byte[8]);
            }
            RawH2.frame(out, 0x1, 0x4 | 0x1, 1, GET_HEADERS);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (;;) {
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte();
                int stream = in.readInt();
                in.readNBytes(length);
                assertThat(type).as("no GOAWAY").isNotEqualTo(0x7);
                if (type == 0x1 && stream == 1) {
                    return; // the response head of stream 1
                }
            }
        }
    }

    @Test
    void drainingTellsHttp2ClientsToGoAwayAfterTheStreamsTheyHave() throws Exception {
        GatehouseServer draining = GatehouseServer.start(new ConfigLoader(dir).parse("""
                server:
                  upstream: %s
                  listen: [ { address: "127.0.0.1:0", http2: true } ]
                  timeouts: { drain-delay: 0s }
                plugins: { directory: plugins }
                """.formatted(origin.url()), "drain.yaml"), List.of());
        try (Socket socket = h2c(draining.port())) {
            OutputStream out = socket.getOutputStream();
            RawH2.frame(out, 0x1, 0x4 | 0x1, 1, GET_HEADERS);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            boolean ended = false;
            while (!ended) { // stream 1 served to its end: the connection is the server's, not in a backlog
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt();
                in.readNBytes(length);
                ended = stream == 1 && (flags & 0x1) != 0;
            }

            draining.drain();

            for (;;) {
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte();
                in.readInt();
                byte[] payload = in.readNBytes(length);
                if (type == 0x7) {
                    int lastStream = (payload[0] & 0x7f) << 24 | (payload[1] & 0xff) << 16 | (payload[2] & 0xff) << 8 | payload[3] & 0xff;
                    int error = (payload[4] & 0xff) << 24 | (payload[5] & 0xff) << 16 | (payload[6] & 0xff) << 8 | payload[7] & 0xff;
                    assertThat(error).as("NO_ERROR").isZero();
                    assertThat(lastStream).as("the last stream it took").isEqualTo(1);
                    break;
                }
            }
        } finally {
            draining.stop(Duration.ofSeconds(2));
        }
    }

    /** :method GET, :scheme http, :path /small, :authority a. */
    private static final byte[] GET_HEADERS = {(byte) 0x82, (byte) 0x86, 0x04, 0x06, '/', 's', 'm', 'a', 'l', 'l', 0x41, 0x01, 'a'};

    private static Socket h2c() throws IOException {
        return h2c(server.addresses().get(1).getPort());
    }

    private static Socket h2c(int port) throws IOException {
        return RawH2.connect(port);
    }


    /**
     * How a flooded connection ended.
     *
     * @param pingAcks the PING acknowledgements read before the end
     * @param goAway the error code of the GOAWAY read, or -1 when the connection was reset first
     *     (the proxy closes at once, and a close with the client's unread frames still in its
     *     socket is a reset)
     */
    record Ending(int pingAcks, int goAway) {
    }

    /**
     * Reads frames until a GOAWAY or the end of the connection; a connection that stays open
     * fails the test (socket timeout).
     */
    private static Ending readUntilEnd(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int acks = 0;
        try {
            for (;;) {
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                in.readInt();
                byte[] payload = in.readNBytes(length);
                if (type == 0x6 && (flags & 0x1) != 0) {
                    acks++;
                }
                if (type == 0x7) {
                    return new Ending(acks, (payload[4] & 0xff) << 24 | (payload[5] & 0xff) << 16 | (payload[6] & 0xff) << 8
                            | payload[7] & 0xff);
                }
            }
        } catch (EOFException | SocketException e) {
            return new Ending(acks, -1);
        }
    }

    /** A repeatable stream of {@code size} bytes. */
    static final class Generated extends InputStream {
        private final long size;
        private long position;

        Generated(long size) {
            this.size = size;
        }

        static long crc(long size) throws IOException {
            CRC32C crc = new CRC32C();
            try (Generated in = new Generated(size)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    crc.update(buffer, 0, n);
                }
            }
            return crc.getValue();
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ * 31 % 251) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (position++ * 31 % 251);
            }
            return n;
        }
    }
}
