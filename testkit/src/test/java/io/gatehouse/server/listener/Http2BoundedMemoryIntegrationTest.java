package io.gatehouse.server.listener;

import io.gatehouse.server.tls.TestCertificates;
import io.gatehouse.testkit.GatehouseProcess;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
 * 256 MiB down and 256 MiB up over HTTP/2 with TLS through a proxy process limited to a 64 MiB
 * heap: HTTP/2 flow control follows the exchange's bounded buffers, so memory stays bounded
 * whatever the body size.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class Http2BoundedMemoryIntegrationTest {

    private static final long SIZE = 256L << 20;

    @TempDir
    static Path dir;
    private static TestOrigin origin;
    private static GatehouseProcess proxy;
    private static HttpClient client;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Generated certificate = TestCertificates.selfSigned(dir, "big", "EC", "127.0.0.1");
        origin = TestOrigin.start(Reply.status(200).body(SIZE, () -> new Http2IntegrationTest.Generated(SIZE)))
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
                }));
        Path config = dir.resolve("h2-big.yaml");
        Files.writeString(config, """
                server:
                  listen: [ { address: "127.0.0.1:0", tls: { certificate: "%s", key: "%s" } } ]
                  upstream: %s
                  limits: { body: 1GiB }
                plugins: { directory: "%s" }
                """.formatted(certificate.certificatePem(), certificate.keyPem(), origin.url(), dir.resolve("plugins")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        proxy = GatehouseProcess.start(new ProcessBuilder(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), "io.gatehouse.server.Main", "--config", config.toString()));
        port = proxy.awaitPort(Duration.ofSeconds(60));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TestCertificates.trusting(certificate.leaf())).build();
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
    void aLargeDownloadArrivesIntact() throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/download"))
                .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofInputStream());
        CRC32C crc = new CRC32C();
        long count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                count += n;
            }
        }

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(count).isEqualTo(SIZE);
        assertThat(crc.getValue()).isEqualTo(Http2IntegrationTest.Generated.crc(SIZE));
        assertThat(proxy.process().isAlive()).as("proxy alive; output: %s", proxy.output()).isTrue();
    }

    @Test
    void aLargeUploadArrivesIntact() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/upload"))
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Http2IntegrationTest.Generated(SIZE))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo(SIZE + " " + Long.toHexString(Http2IntegrationTest.Generated.crc(SIZE)));
        assertThat(proxy.process().isAlive()).as("proxy alive; output: %s", proxy.output()).isTrue();
    }
}
