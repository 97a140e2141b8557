package io.gatehouse.plugins.ratelimit;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The concurrency cap in front of a slow origin: an origin that holds every request until the
 * test lets it go never has more than the cap in flight.
 */
class ConcurrencyIntegrationTest {

    private static final int MAX = 4;

    private final List<CountDownLatch> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger released = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        held.forEach(CountDownLatch::countDown);
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private void start(String concurrency) {
        // Each request is held until the test releases it; a request that arrives while n unreleased ones are at the
        // origin saw at least n + 1 in flight (a released one may still be finishing, so this can only overstate).
        origin = TestOrigin.start(request -> {
            if (!request.target().startsWith("/slow/")) {
                return Reply.ok("quick");
            }
            CountDownLatch latch = new CountDownLatch(1);
            held.add(latch);
            mostInFlight.accumulateAndGet(held.size() - released.get(), Math::max);
            return Reply.ok("slow").holdUntil(latch);
        });
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: rate-limit, config: { concurrency: " + concurrency + " } } ]")
                .filters(new RateLimitFilterFactory()).upstream(origin).start();
    }

    private List<CompletableFuture<HttpResponse<String>>> fire(int count) {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(gatehouse.client().sendAsync(HttpRequest.newBuilder(gatehouse.uri("/slow/" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        return responses;
    }

    @Test
    void overTheCapIs503WithRetryAfterAtOnce() throws Exception {
        start("{ max-concurrent: " + MAX + ", retry-after: 2s }");
        List<CompletableFuture<HttpResponse<String>>> responses = fire(10);

        await().atMost(Duration.ofSeconds(10)).until(() -> responses.stream().filter(CompletableFuture::isDone).count() == 6);
        assertThat(origin.requestCount()).isEqualTo(MAX);
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            if (response.isDone()) {
                assertThat(response.join().statusCode()).isEqualTo(503);
                assertThat(response.join().headers().firstValue("Retry-After")).hasValue("2");
            }
        }
        held.forEach(CountDownLatch::countDown);
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isIn(200, 503);
        }
        assertThat(responses.stream().filter(r -> r.join().statusCode() == 200).count()).isEqualTo(MAX);
        assertThat(gatehouse.get("/after").statusCode()).as("the slots are free again").isEqualTo(200);
    }

    @Test
    void queuedRequestsGoOnAsSlotsFreeAndTheCapHolds() throws Exception {
        start("{ max-concurrent: " + MAX + ", queue: 20, queue-timeout: 20s }");
        int total = 16;
        List<CompletableFuture<HttpResponse<String>>> responses = fire(total);

        for (int next = 0; next < total; next++) {
            int arrived = Math.min(total, next + MAX);
            await().atMost(Duration.ofSeconds(10)).until(() -> held.size() >= arrived);
            released.incrementAndGet();
            held.get(next).countDown();
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(origin.requestCount()).isEqualTo(total);
        assertThat(mostInFlight.get()).as("requests at the origin at once").isEqualTo(MAX);
        assertThat(gatehouse.status("rate-limit#0").orElseThrow()).contains("0 keys active");
    }

    @Test
    void aRequestThatWaitsTooLongIs503() throws Exception {
        start("{ max-concurrent: 1, queue: 1, queue-timeout: 200ms }");
        List<CompletableFuture<HttpResponse<String>>> responses = fire(2);
        // Whichever arrived second waits 200 ms for the slot the held one keeps, and gives up.
        HttpResponse<?> waited = (HttpResponse<?>) CompletableFuture.anyOf(responses.toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.SECONDS);
        assertThat(waited.statusCode()).isEqualTo(503);
        assertThat(origin.requestCount()).isEqualTo(1);
    }
}
