package io.gatehouse.server.listener;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.tls.TestCertificates;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code server.limits.connections} counts TLS connections from their acceptance, handshake included. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsConnectionLimitIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void connectionsStillInTheirHandshakeCountAgainstTheLimit() throws Exception {
        TestCertificates.selfSigned(dir, "limit", "EC", "127.0.0.1");
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"))) {
            String yaml = """
                    server:
                      upstream: %s
                      limits: { connections: 2 }
                      listen: [ { address: "127.0.0.1:0", tls: { certificate: limit.crt.pem, key: limit.key.pem } } ]
                    plugins: { directory: plugins }
                    """.formatted(origin.url());
            GatehouseServer server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml, "limit.yaml"), List.of());
            try {
                int port = server.port();
                try (Socket first = connect(port); Socket second = connect(port); Socket third = connect(port)) {
                    // the I/O threads take accepted connections in no fixed order: one of the three is refused
                    List<String> outcomes = List.of(outcome(first), outcome(second), outcome(third));
                    assertThat(outcomes).as("none has done its handshake; one over the limit is closed at once")
                            .containsExactlyInAnyOrder("closed", "waiting", "waiting");
                }
                SSLContext trustAll = SSLContext.getInstance("TLS");
                trustAll.init(null, new javax.net.ssl.TrustManager[] {new TlsListenerIntegrationTest.TrustAll()}, null);
                await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(SocketException.class).until(() -> {
                    try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
                        socket.setSoTimeout(5000);
                        socket.startHandshake();
                        return true;
                    }
                });
            } finally {
                server.stop(Duration.ofSeconds(2));
            }
        }
    }

    /** @return "closed" when the proxy closed the connection, "waiting" when it is still open after a second */
    private static String outcome(Socket socket) throws Exception {
        try {
            return socket.getInputStream().read() < 0 ? "closed" : "answered";
        } catch (SocketTimeoutException e) {
            return "waiting";
        } catch (SocketException e) {
            return "closed"; // reset
        }
    }

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(1000);
        return socket;
    }
}
