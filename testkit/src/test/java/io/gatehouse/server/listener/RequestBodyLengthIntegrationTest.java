package io.gatehouse.server.listener;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.testkit.RawExchange;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http2.hpack.HPackDecoder;
import org.apache.hc.core5.http2.hpack.HPackEncoder;
import org.apache.hc.core5.util.ByteArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request bodies of declared length: an HTTP/2 request's {@code Content-Length} is held to its
 * DATA frames and forwarded (an HTTP/1.1 origin gets a length, not chunks), and a small body is
 * collected whole before the origin is contacted, within {@code timeouts.idle}. Raw HTTP/2 frames
 * (cleartext, prior knowledge) so that the client can break its own promise.
 */
@Timeout(60)
class RequestBodyLengthIntegrationTest {

    private static final int PROTOCOL_ERROR = 0x1;
    private static final int FRAME_HEADERS = 0x1;
    private static final int FRAME_RST_STREAM = 0x3;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;

    @TempDir
    Path dir;
    private TestOrigin origin;
    private GatehouseServer server;
    /** What the origin's /upload read of each body: its length, or -(bytes read) + -1 when the body broke off. */
    private final BlockingQueue<Long> uploads = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        origin = TestOrigin.start(Reply.ok("fine")).answer("/upload", Reply.raw(this::readUpload));
    }

    private void readUpload(RawExchange exchange) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long count = 0;
        try {
            for (int n; (n = exchange.body().read(buffer)) >= 0; ) {
                count += n;
            }
        } catch (IOException broken) {
            uploads.add(-count - 1);
            throw broken;
        }
        uploads.add(count);
        String answer = Long.toString(count);
        exchange.write("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer);
    }

    private void startServer(String timeouts) throws Exception {
        server = GatehouseServer.start(new ConfigLoader(dir).parse("""
                server:
                  upstream: %s
                  listen:
                    - { address: "127.0.0.1:0", http2: true }
                    - "127.0.0.1:0"
                  timeouts: { %s }
                plugins: { directory: plugins }
                """.formatted(origin.url(), timeouts), "length.yaml"), List.of());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        origin.close();
    }

    @Test
    void anHttp2BodyOfDeclaredLengthReachesAnHttp11OriginWithThatLength() throws Exception {
        startServer("");
        byte[] body = new byte[100_000]; // larger than the collected size: streamed, in several writes
        Arrays.fill(body, (byte) 'b');
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            headers(out, 1, post("/upload", "100000"), false);
            for (int offset = 0; offset < 60_000; offset += 15_000) { // within the initial window of 64 KiB
                RawH2.frame(out, 0x0, 0, 1, Arrays.copyOfRange(body, offset, offset + 15_000));
            }
            out.flush();
            awaitWindowFor(socket, 40_000);
            RawH2.frame(out, 0x0, END_STREAM, 1, Arrays.copyOfRange(body, 60_000, 100_000));
            out.flush();

            assertThat(readAnswer(socket.getInputStream()).status()).isEqualTo("200");
        }
        assertThat(uploads.poll(10, TimeUnit.SECONDS)).isEqualTo(100_000L);
        assertThat(origin.lastRequest().header("Content-Length")).hasValue("100000");
        assertThat(origin.lastRequest().header("Transfer-Encoding")).isEmpty();
    }

    @ParameterizedTest(name = "Content-Length {0}, {1} sent")
    @CsvSource({"10, 12345", "5, 1234567890"})
    void anHttp2BodyNotMatchingItsContentLengthIsResetAndNeverReachesTheOrigin(String declared, String sent) throws Exception {
        startServer("");
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            headers(out, 1, post("/upload", declared), false);
            RawH2.frame(out, 0x0, END_STREAM, 1, sent.getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertThat(readAnswer(socket.getInputStream()).reset()).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(origin.connectionsAccepted()).as("a small body is collected first: the origin never heard of it").isZero();
    }

    @Test
    void aLargeHttp2BodyEndingShortBreaksOffAtTheOriginInsteadOfCompleting() throws Exception {
        startServer("");
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            headers(out, 1, post("/upload", "100000"), false);
            RawH2.frame(out, 0x0, 0, 1, new byte[16_000]);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> origin.requestCount("/upload") == 1);
            RawH2.frame(out, 0x0, END_STREAM, 1, new byte[16_000]);
            out.flush();

            assertThat(readAnswer(socket.getInputStream()).reset()).isEqualTo(PROTOCOL_ERROR);
        }
        Long read = uploads.poll(10, TimeUnit.SECONDS);
        assertThat(read).as("the origin's read of the body broke off (negative), within the 32,000 bytes sent")
                .isNotNull().isBetween(-32_001L, -1L);
    }

    @Test
    void anInvalidHttp2ContentLengthIsAnswered400() throws Exception {
        startServer("");
        try (Socket socket = h2c()) {
            OutputStream out = socket.getOutputStream();
            headers(out, 1, post("/upload", "1x"), false);
            RawH2.frame(out, 0x0, END_STREAM, 1, new byte[2]);
            out.flush();

            assertThat(readAnswer(socket.getInputStream()).status()).isEqualTo("400");
        }
        assertThat(origin.connectionsAccepted()).isZero();
    }

    @Test
    void aContentLengthOnAnHttp2RequestWithoutBodyIsAnswered400() throws Exception {
        startServer("");
        try (Socket socket = h2c()) {
            headers(socket.getOutputStream(), 1, post("/upload", "3"), true);

            assertThat(readAnswer(socket.getInputStream()).status()).isEqualTo("400");
        }
    }

    @Test
    void aSmallBodyIsCollectedBeforeTheOriginIsContacted() throws Exception {
        startServer("");
        try (Socket socket = http11()) {
            sendAscii(socket, "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> origin.connectionsAccepted() == 0);
            sendAscii(socket, "67890");

            assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
        }
        assertThat(uploads.poll(10, TimeUnit.SECONDS)).isEqualTo(10L);
        assertThat(origin.lastRequest().header("Content-Length")).hasValue("10");
    }

    @Test
    void aSmallBodyStillIncompleteAfterTheIdleTimeoutIsStreamed() throws Exception {
        startServer("idle: 1s");
        try (Socket socket = http11()) {
            sendAscii(socket, "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");

            await().atMost(Duration.ofSeconds(10)).until(() -> origin.requestCount("/upload") == 1);
            sendAscii(socket, "67890");

            assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
        }
        assertThat(uploads.poll(10, TimeUnit.SECONDS)).isEqualTo(10L);
    }

    // ------------------------------------------------------------------ a raw HTTP/2 client

    private static List<Header> post(String path, String contentLength) {
        return List.of(new BasicHeader(":method", "POST"), new BasicHeader(":scheme", "http"),
                new BasicHeader(":path", path), new BasicHeader(":authority", "a"),
                new BasicHeader("content-length", contentLength));
    }

    private Socket h2c() throws IOException {
        return RawH2.connect(server.addresses().get(0).getPort());
    }

    private Socket http11() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.addresses().get(1).getPort()), 5000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void headers(OutputStream out, int stream, List<Header> fields, boolean endStream) throws IOException {
        ByteArrayBuffer block = new ByteArrayBuffer(256);
        new HPackEncoder(4096, StandardCharsets.US_ASCII).encodeHeaders(block, fields, false);
        RawH2.frame(out, FRAME_HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block.toByteArray());
        out.flush();
    }


    /** Reads frames until stream 1 has been granted at least {@code bytes} more by WINDOW_UPDATE frames. */
    private static void awaitWindowFor(Socket socket, int bytes) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        long granted = 0;
        while (granted < bytes) {
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = in.readNBytes(length);
            if (type == 0x8 && stream == 1) {
                granted += ByteBuffer.wrap(payload).getInt() & 0x7fffffff;
            }
        }
    }

    /** How stream 1 ended: a response status, or a reset with its error code. */
    private record Answer(String status, int reset) {
    }

    private static Answer readAnswer(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        HPackDecoder decoder = new HPackDecoder(4096, StandardCharsets.US_ASCII);
        for (;;) {
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = in.readNBytes(length);
            if (stream != 1) {
                continue;
            }
            if (type == FRAME_RST_STREAM) {
                return new Answer("", ByteBuffer.wrap(payload).getInt());
            }
            if (type == FRAME_HEADERS) {
                try {
                    for (Header field : decoder.decodeHeaders(ByteBuffer.wrap(payload))) {
                        if (field.getName().equals(":status")) {
                            return new Answer(field.getValue(), -1);
                        }
                    }
                } catch (org.apache.hc.core5.http.HttpException e) {
                    throw new IOException(e);
                }
            }
        }
    }

    private static void sendAscii(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String statusLine(InputStream in) throws IOException {
        List<Byte> line = new ArrayList<>();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.add((byte) b);
        }
        byte[] bytes = new byte[line.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = line.get(i);
        }
        return new String(bytes, StandardCharsets.US_ASCII).trim();
    }
}
