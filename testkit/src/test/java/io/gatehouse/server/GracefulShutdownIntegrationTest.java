package io.gatehouse.server;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Shutdown stops accepting, lets in-flight exchanges finish, and loses none of them. */
class GracefulShutdownIntegrationTest {

    @Test
    void inFlightRequestsFinishDuringTheGracePeriod() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestOrigin origin = TestOrigin.start(request -> Reply.ok("finished " + request.path()).holdUntil(release));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            int port = proxy.port();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                inFlight.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/r" + i))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            origin.awaitRequests(5, Duration.ofSeconds(10));

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> proxy.stop(Duration.ofSeconds(10)));
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                            .isInstanceOf(ConnectException.class));
            assertThat(stopped).isNotDone();
            release.countDown();

            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = inFlight.get(i).get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("finished /r" + i);
            }
        }
    }

    @Test
    void graceElapsingIsReported() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestOrigin origin = TestOrigin.start(Reply.ok("late").holdUntil(release));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            CompletableFuture<HttpResponse<String>> stuck = proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            origin.awaitRequests(1, Duration.ofSeconds(10));

            assertThat(proxy.stop(Duration.ofMillis(300))).isFalse();
            release.countDown();
            // its origin connection is closed at the end of the grace: the client gets 503 "shutting
            // down" (not a hang, and not a 502 that blames the upstream)
            HttpResponse<String> cut = stuck.get(10, TimeUnit.SECONDS);
            assertThat(cut.statusCode()).isEqualTo(503);
            assertThat(cut.body()).contains("shutting down");
        }
    }
}
