package io.gatehouse.server.websocket;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.RawConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket through the proxy, end to end: the JDK's WebSocket client, the real server on a
 * loopback ephemeral port, and an RFC 6455 echo origin started by the test.
 */
class WebSocketIntegrationTest {

    /** The proxy's buffer per direction ({@code ExchangeServices.TUNNEL_BUFFER}). */
    private static final int TUNNEL_BUFFER = 32 * 1024;
    /** That plus the TLS slack of {@code Direction}. */
    private static final int MOST_HELD_PER_DIRECTION = TUNNEL_BUFFER + 32 * 1024;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private WebSocketOrigin origin;
    private GatehouseServer server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private void start(String extraTimeouts) throws Exception {
        start(extraTimeouts, "");
    }

    private void start(String extraTimeouts, String extraServer) throws Exception {
        origin = WebSocketOrigin.start();
        server = GatehouseServer.start(new ConfigLoader(dir).parse("""
                server:
                  listen: [ "127.0.0.1:0" ]
                  upstream: "%s"
                  timeouts: { %s }
                  %s
                admin: { listen: "127.0.0.1:0" }
                filters:
                  - { type: answer, name: deny, when: { path-prefix: /denied }, config: { status: 403 } }
                """.formatted(origin.url(), extraTimeouts, extraServer), "test.yaml"), TestFilters.all());
    }

    private WebSocket connect(String path, Messages listener) throws Exception {
        return client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), listener).get(20, TimeUnit.SECONDS);
    }

    @Test
    void messagesGoBothWaysThroughTheFilterChainAndTheOriginGetsTheUpgrade() throws Exception {
        start("");
        Messages messages = new Messages();
        WebSocket socket = connect("/ws", messages);

        socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("hello");
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertThat((byte[]) messages.next()).containsExactly(1, 2, 3);
        assertThat(server.tunnels().count()).isEqualTo(1);
        String metrics = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.adminAddress().orElseThrow().getPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("gatehouse_tunnels_open 1.0");
        java.util.regex.Matcher toOrigin = java.util.regex.Pattern
                .compile("gatehouse_tunnel_bytes_total\\{direction=\"to_origin\"[^}]*} ([0-9.E]+)").matcher(metrics);
        assertThat(toOrigin.find()).as("tunnel byte counter in %s", metrics).isTrue();
        assertThat(Double.parseDouble(toOrigin.group(1))).as("the upgrade request and two frames")
                .isGreaterThan(100 + 5 + 3);
        assertThat(metrics).containsPattern("gatehouse_tunnel_bytes_total\\{direction=\"to_client\"[^}]*} [1-9]");
        assertThat(origin.requests).hasSize(1);
        assertThat(origin.requests.get(0)).startsWith("GET /ws HTTP/1.1\r\n").contains("Upgrade: websocket\r\n",
                "Connection: Upgrade\r\n", "Sec-WebSocket-Key: ", "Sec-WebSocket-Version: 13\r\n", "Via: 1.1 gatehouse");

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertThat(messages.ended.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.tunnels().count() == 0);
    }

    @Test
    void aSixteenMebibyteMessageArrivesWhole() throws Exception {
        start("");
        byte[] big = new byte[16 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Messages messages = new Messages();
        WebSocket socket = connect("/ws", messages);

        socket.sendBinary(ByteBuffer.wrap(big), true).get(30, TimeUnit.SECONDS);

        assertThat((byte[]) messages.next()).isEqualTo(big);
    }

    @Test
    void anOriginThatStopsReadingStopsTheSenderWhileTheProxyHoldsABoundedAmount() throws Exception {
        start("");
        CountDownLatch release = new CountDownLatch(1);
        origin.holdReading(release);
        byte[] big = new byte[32 * 1024 * 1024];
        new Random(3).nextBytes(big);
        Messages messages = new Messages();
        WebSocket socket = connect("/ws", messages);

        CompletableFuture<WebSocket> sent = socket.sendBinary(ByteBuffer.wrap(big), true);
        await().atMost(20, TimeUnit.SECONDS).until(() -> server.tunnels().heldBytes() >= TUNNEL_BUFFER);

        assertThat(server.tunnels().heldBytes()).isLessThanOrEqualTo(2L * MOST_HELD_PER_DIRECTION);
        assertThat(sent).as("the client cannot send more than the buffers along the way hold").isNotDone();

        release.countDown();
        sent.get(30, TimeUnit.SECONDS);
        assertThat((byte[]) messages.next()).isEqualTo(big);
    }

    @Test
    void aFilterRefusesTheUpgradeAndTheOriginSeesNothing() throws Exception {
        start("");

        assertThatThrownBy(() -> connect("/denied/ws", new Messages()))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
        assertThat(origin.requests).isEmpty();
        assertThat(server.tunnels().count()).isZero();
    }

    @Test
    void anOriginAnswerOtherThan101IsRelayedAndTheClientConnectionStaysUsable() throws Exception {
        start("");
        String upgrade = "Host: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        try (RawConnection raw = RawConnection.open(server.port()).timeout(Duration.ofSeconds(10))) {
            String refused = raw.send("GET /refuse HTTP/1.1\r\n" + upgrade).readResponse();

            assertThat(refused).startsWith("HTTP/1.1 403").contains("X-Origin: ws-origin", "no websocket here")
                    .doesNotContainIgnoringCase("Upgrade: websocket");
            assertThat(server.tunnels().count()).isZero();

            String chunked = raw.send("GET /chunked-refusal HTTP/1.1\r\n" + upgrade).readResponse();
            assertThat(chunked).as("a chunked answer is decoded and relayed whole").startsWith("HTTP/1.1 401")
                    .contains("X-Origin: ws-origin", "Content-Length: 12").endsWith("\r\n\r\nlog in first");

            String accepted = raw.send("GET /ws HTTP/1.1\r\n" + upgrade).readHead();
            assertThat(accepted).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    @Test
    void anIdleTunnelIsClosedOnBothSides() throws Exception {
        start("tunnel-idle: 500ms");
        long requestedAt = System.nanoTime(); // before the tunnel's last activity (its 101)
        try (RawConnection raw = upgraded()) {
            assertThat(raw.readUntilClose()).as("the proxy sends no close frame: it does not speak WebSocket").isEmpty();
            assertThat(System.nanoTime() - requestedAt).as("not closed before it was idle")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(origin.connectionEnded.await(10, TimeUnit.SECONDS)).as("the origin connection closed").isTrue();
            await().atMost(10, TimeUnit.SECONDS).until(() -> server.tunnels().count() == 0);
        }
    }

    @Test
    void shutdownClosesOpenTunnels() throws Exception {
        start("");
        try (RawConnection raw = upgraded()) {
            assertThat(server.stop(Duration.ofSeconds(5))).as("no exchange left in flight: the tunnel is not one").isTrue();

            assertThat(raw.readUntilClose()).isEmpty();
            assertThat(origin.connectionEnded.await(10, TimeUnit.SECONDS)).as("the origin connection closed").isTrue();
            assertThat(server.tunnels().count()).isZero();
        }
    }

    /** @return a raw client connection the proxy switched to a tunnel (the 101 read) */
    private RawConnection upgraded() throws InterruptedException {
        RawConnection raw = RawConnection.open(server.port()).timeout(Duration.ofSeconds(10));
        assertThat(raw.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").readHead())
                .startsWith("HTTP/1.1 101");
        assertThat(origin.upgraded.await(10, TimeUnit.SECONDS)).isTrue();
        return raw;
    }

    @Test
    void pastTheCapAnUpgradeIsAnswered503() throws Exception {
        start("", "limits: { tunnels: 1 }");
        Messages first = new Messages();
        connect("/ws", first);

        assertThatThrownBy(() -> connect("/ws", new Messages()))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(503));
        assertThat(origin.requests).hasSize(1);
    }

    @Test
    void otherUpgradesAndDisabledWebSocketLoseTheirUpgradeField() throws Exception {
        start("", "websocket: { enabled: false }");
        try (RawConnection raw = RawConnection.open(server.port()).timeout(Duration.ofSeconds(10))) {
            String answer = raw.send("GET /refuse HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").readResponse();

            assertThat(answer).startsWith("HTTP/1.1 403");
        }
        assertThat(origin.requests).hasSize(1);
        assertThat(origin.requests.get(0)).doesNotContainIgnoringCase("Upgrade:").doesNotContainIgnoringCase("Connection: Upgrade")
                .contains("Sec-WebSocket-Key");
        assertThat(server.tunnels().count()).isZero();
    }
}
