package io.gatehouse.server.websocket;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wss://} to a TLS listener, tunnelled to an {@code https} WebSocket origin: TLS on both connections of the tunnel. */
class WebSocketTlsIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void messagesCrossATunnelWithTlsOnBothSides() throws Exception {
        TestCertificates.Generated ca = TestCertificates.selfSigned(dir, "ws-ca", "EC");
        TestCertificates.Generated leaf = TestCertificates.signedBy(dir, ca, "ws", "127.0.0.1");
        Path caPem = dir.resolve("ws-ca.pem");
        Files.writeString(caPem, TestCertificates.pem("CERTIFICATE", ca.leaf().getEncoded()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("ws", leaf.key(), TestCertificates.PASSWORD.toCharArray(), leaf.chain().toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, TestCertificates.PASSWORD.toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        SSLContext clientTls = TestCertificates.trusting(ca.leaf());

        try (WebSocketOrigin origin = WebSocketOrigin.start(serverTls);
             GatehouseServer server = GatehouseServer.start(new ConfigLoader(dir).parse("""
                     server:
                       listen: [ { address: "127.0.0.1:0", tls: { certificate: "%s", key: "%s" } } ]
                       upstream: "%s"
                       upstream-tls: { trusted-certificates: "%s" }
                     """.formatted(leaf.certificatePem(), leaf.keyPem(), origin.url(), caPem), "tls.yaml"), List.of())) {
            HttpClient client = HttpClient.newBuilder().sslContext(clientTls).connectTimeout(Duration.ofSeconds(10)).build();
            Messages messages = new Messages();
            WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://127.0.0.1:" + server.port() + "/secure"), messages).get(20, TimeUnit.SECONDS);

            socket.sendText("over tls", true).get(10, TimeUnit.SECONDS);
            assertThat(messages.next()).isEqualTo("over tls");
            byte[] big = new byte[2 * 1024 * 1024];
            new Random(11).nextBytes(big);
            socket.sendBinary(ByteBuffer.wrap(big), true).get(20, TimeUnit.SECONDS);
            assertThat((byte[]) messages.next()).isEqualTo(big);
            assertThat(origin.requests).hasSize(1);

            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            assertThat(messages.ended.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        }
    }
}
