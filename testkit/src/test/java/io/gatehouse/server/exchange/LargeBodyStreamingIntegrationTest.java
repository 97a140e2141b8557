package io.gatehouse.server.exchange;

import io.gatehouse.testkit.GatehouseProcess;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1 GiB down and 1 GiB up through a proxy process limited to a 128 MiB heap: bodies stream with
 * bounded memory, and the checksum on the far side matches.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LargeBodyStreamingIntegrationTest {

    private static final long SIZE = 1L << 30;

    @TempDir
    static Path dir;
    private static TestOrigin origin;
    private static GatehouseProcess proxy;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        origin = TestOrigin.start(Reply.status(200).body(SIZE, () -> new GeneratedStream(SIZE)))
                .answer("/upload", Reply.raw(exchange -> {
                    CRC32C crc = new CRC32C();
                    long count = 0;
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = exchange.body().read(buffer)) >= 0) {
                        crc.update(buffer, 0, n);
                        count += n;
                    }
                    String answer = count + " " + Long.toHexString(crc.getValue());
                    exchange.write("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer);
                }));
        Path config = dir.resolve("stream.yaml");
        Files.writeString(config, "server:\n  listen: [\"127.0.0.1:0\"]\n  upstream: " + origin.url()
                + "\n  limits: { body: 2GiB }\nplugins: { directory: \"" + dir.resolve("plugins") + "\" }\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        proxy = GatehouseProcess.start(new ProcessBuilder(java, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), "io.gatehouse.server.Main", "--config", config.toString()));
        port = proxy.awaitPort(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void oneGibibyteDownloadArrivesIntact() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/download"))
                .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofInputStream());
        CRC32C crc = new CRC32C();
        long count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                crc.update(buffer, 0, n);
                count += n;
            }
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(count).isEqualTo(SIZE);
        assertThat(crc.getValue()).isEqualTo(expectedCrc());
        assertThat(proxy.process().isAlive()).as("proxy alive; output: %s", proxy.output()).isTrue();
    }

    @Test
    void oneGibibyteUploadArrivesIntact() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedStream(SIZE)), SIZE))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(SIZE + " " + Long.toHexString(expectedCrc()));
        assertThat(proxy.process().isAlive()).as("proxy alive; output: %s", proxy.output()).isTrue();
    }

    private static long expectedCrc() throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = new GeneratedStream(SIZE)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    /** Deterministic bytes: position-dependent, so a lost or repeated block changes the checksum. */
    static final class GeneratedStream extends InputStream {
        private final long size;
        private long position;

        GeneratedStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return byteAt(position++);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) byteAt(position + i);
            }
            position += n;
            return n;
        }

        private static int byteAt(long p) {
            long block = p >>> 12;
            return (int) ((p * 31 + block * 0x9E3779B97F4A7C15L) >>> 7) & 0xff;
        }
    }
}
