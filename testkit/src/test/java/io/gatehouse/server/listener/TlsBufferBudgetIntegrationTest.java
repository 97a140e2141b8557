package io.gatehouse.server.listener;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.tls.TestCertificates;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code tls.buffers: auto} (the default): TLS connections keep their TLS buffers within the
 * engine's budget and give their place back when they close; {@code on-demand} listeners never
 * take one. Counted by the admin's {@code /stats}.
 */
@Timeout(60)
class TlsBufferBudgetIntegrationTest {

    @TempDir
    Path dir;
    private TestOrigin origin;
    private GatehouseServer server;
    private SSLContext trust;

    @BeforeEach
    void start() throws Exception {
        origin = TestOrigin.start(Reply.ok("fine"));
        TestCertificates.Generated certificate = TestCertificates.selfSigned(dir, "site", "EC", "127.0.0.1");
        trust = TestCertificates.trusting(certificate.leaf());
        server = GatehouseServer.start(new ConfigLoader(dir).parse("""
                server:
                  upstream: %s
                  listen:
                    - { address: "127.0.0.1:0", tls: { certificate: site.crt.pem, key: site.key.pem } }
                    - { address: "127.0.0.1:0", tls: { certificate: site.crt.pem, key: site.key.pem, buffers: on-demand } }
                admin: { listen: "127.0.0.1:0" }
                plugins: { directory: plugins }
                """.formatted(origin.url()), "budget.yaml"), List.of());
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(2));
        origin.close();
    }

    @Test
    void autoConnectionsKeepTheirBuffersUntilTheyCloseAndOnDemandOnesNever() throws Exception {
        List<SSLSocket> sockets = new ArrayList<>();
        try {
            sockets.add(exchange(server.addresses().get(0).getPort()));
            sockets.add(exchange(server.addresses().get(0).getPort()));
            sockets.add(exchange(server.addresses().get(1).getPort()));

            assertThat(stat("connections_open")).isEqualTo(3);
            assertThat(stat("connections_keeping_tls_buffers")).isEqualTo(2);
        } finally {
            for (SSLSocket socket : sockets) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stat("connections_keeping_tls_buffers")).isZero());
    }

    /** Opens a TLS connection, sends one request on it and reads the answer's status line. */
    private SSLSocket exchange(int port) throws IOException {
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        assertThat(line.toString().trim()).isEqualTo("HTTP/1.1 200 OK");
        return socket;
    }

    private long stat(String name) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.adminAddress().orElseThrow().getPort() + "/stats");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in " + body);
    }
}
