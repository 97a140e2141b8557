package io.gatehouse.server;

import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /drain}: readiness false at once, new connections accepted until the drain delay
 * ends and refused afterwards, a kept-alive connection told to close after its next request, and
 * every slow in-flight request completed.
 */
class DrainIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void drainingTurnsReadinessOffThenRefusesNewConnectionsAndFinishesInFlightRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (TestOrigin origin = TestOrigin.start(request -> request.path().startsWith("/slow")
                ? Reply.ok("finished " + request.path()).holdUntil(release) : Reply.ok("quick"));
             GatehouseServer server = GatehouseServer.start(new ConfigLoader(dir).parse("""
                     server:
                       listen: [ "127.0.0.1:0" ]
                       upstream: "%s"
                       timeouts: { drain-delay: 1500ms }
                     admin: { listen: "127.0.0.1:0" }
                     """.formatted(origin.url()), "test.yaml"), List.of())) {
            int port = server.port();
            URI admin = URI.create("http://127.0.0.1:" + server.adminAddress().orElseThrow().getPort());
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                slow.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow/" + i))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            origin.awaitRequests(5, Duration.ofSeconds(10));
            try (RawConnection keptAlive = RawConnection.open(port).timeout(Duration.ofSeconds(10))) {
                assertThat(keptAlive.send("GET /quick HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).doesNotContain("Connection: close");

                HttpResponse<String> drain = client.send(HttpRequest.newBuilder(admin.resolve("/drain"))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                long drained = System.nanoTime();

                assertThat(drain.statusCode()).isEqualTo(202);
                assertThat(drain.body()).contains("\"status\":\"draining\"", "\"listeners_closed\":false", "\"in_flight\":5");
                assertThat(client.send(HttpRequest.newBuilder(admin.resolve("/ready")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(503);
                new Socket(InetAddress.getLoopbackAddress(), port).close(); // still accepted: load balancers notice first
                assertThat(System.nanoTime() - drained).as("the accept above came within the delay")
                        .isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
                await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                                .isInstanceOf(ConnectException.class));
                assertThat(System.nanoTime() - drained).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));

                assertThat(keptAlive.send("GET /quick HTTP/1.1\r\nHost: a\r\n\r\n").readResponse())
                        .contains("quick").containsIgnoringCase("Connection: close");
            }
            assertThat(slow).allSatisfy(f -> assertThat(f).isNotDone());
            release.countDown();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = slow.get(i).get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("finished /slow/" + i);
            }
            assertThat(server.stop(Duration.ofSeconds(5))).isTrue();
        }
    }
}
