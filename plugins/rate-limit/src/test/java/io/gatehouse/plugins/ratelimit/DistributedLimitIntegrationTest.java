package io.gatehouse.plugins.ratelimit;

import io.gatehouse.testkit.RedisServer;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Gatehouse instances sharing one real Redis enforce one combined limit, and a Redis that
 * stops or stalls mid-test gets the configured failure policy within the timeout.
 */
class DistributedLimitIntegrationTest {

    private static final int RATE = 500;
    private static final int BURST = 500;

    private RedisServer redis;
    private TestOrigin origin;
    private EmbeddedGatehouse first;
    private EmbeddedGatehouse second;

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, origin, redis}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private EmbeddedGatehouse gatehouse(String redisSettings) {
        return EmbeddedGatehouse.builder().config(String.join("\n",
                        "filters:",
                        "  - type: rate-limit",
                        "    name: api-limit",
                        "    config:",
                        "      key: \"header:X-Client\"",
                        "      rate: " + RATE + "/s",
                        "      burst: " + BURST,
                        "      store: redis",
                        "      redis: { uri: \"" + redis.uri() + "\", " + redisSettings + " }",
                        ""))
                .filters(new RateLimitFilterFactory()).upstream(origin).start();
    }

    private static HttpRequest request(EmbeddedGatehouse gatehouse, String path, String client) {
        return HttpRequest.newBuilder(gatehouse.uri(path)).header("X-Client", client).timeout(Duration.ofSeconds(20)).build();
    }

    private void startBoth(String redisSettings) {
        redis = RedisServer.start();
        origin = TestOrigin.start();
        first = gatehouse(redisSettings);
        second = gatehouse(redisSettings);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.status("api-limit").orElseThrow().contains(", connected,")
                && second.status("api-limit").orElseThrow().contains(", connected,"));
    }

    @Test
    void twoInstancesEnforceOneCombinedLimitWithinTwoPercent() throws Exception {
        startBoth("timeout: 50ms, failure: fail-closed");
        Load.send(first.client(), 2_000, 8, i -> request(i % 2 == 0 ? first : second, "/warm-up", "warm-up"));
        int warmUp = origin.requestCount();

        Load.Result result = Load.send(first.client(), 10_000, 8,
                i -> i % 2 == 0 ? request(first, "/via-first", "measured") : request(second, "/via-second", "measured"));

        long admitted = result.count(200);
        double expected = BURST + RATE * result.seconds();
        int viaFirst = origin.requestCount("/via-first");
        int viaSecond = origin.requestCount("/via-second");
        System.out.printf("distributed (2 instances): %d admitted (%d + %d), %d refused in %.3f s; limit %.1f; error %+.2f %%%n",
                admitted, viaFirst, viaSecond, result.count(429), result.seconds(), expected, 100 * (admitted - expected) / expected);
        assertThat(result.count(200) + result.count(429)).as(result.statuses().toString()).isEqualTo(10_000);
        assertThat(Math.abs(admitted - expected) / expected).as("relative error").isLessThanOrEqualTo(0.02);
        assertThat(viaFirst).as("each instance admitted its share").isGreaterThan((int) admitted / 4);
        assertThat(viaSecond).as("each instance admitted its share").isGreaterThan((int) admitted / 4);
        assertThat(origin.requestCount() - warmUp).isEqualTo((int) admitted);
    }

    /**
     * With pre-aggregation each instance decides on its own view and sends its admissions in
     * batches: fewer round trips, at the price of accuracy (measured here, bounded at 5 %).
     */
    @Test
    void twoInstancesWithPreAggregationStayWithinFivePercent() throws Exception {
        startBoth("timeout: 50ms, failure: fail-open, batch: { size: 20, interval: 50ms }");
        Load.send(first.client(), 2_000, 8, i -> request(i % 2 == 0 ? first : second, "/warm-up", "warm-up"));

        Load.Result result = Load.send(first.client(), 10_000, 8,
                i -> i % 2 == 0 ? request(first, "/via-first", "measured") : request(second, "/via-second", "measured"));

        long admitted = result.count(200);
        double expected = BURST + RATE * result.seconds();
        System.out.printf("distributed with batches of 20 (2 instances): %d admitted, %d refused in %.3f s; limit %.1f; error %+.2f %%%n%s%n%s%n",
                admitted, result.count(429), result.seconds(), expected, 100 * (admitted - expected) / expected,
                first.status("api-limit").orElseThrow(), second.status("api-limit").orElseThrow());
        assertThat(result.count(200) + result.count(429)).as(result.statuses().toString()).isEqualTo(10_000);
        assertThat(Math.abs(admitted - expected) / expected).as("relative error").isLessThanOrEqualTo(0.05);
    }

    @Test
    void redisStoppedMidTestFailsClosedWithinTheTimeout() throws Exception {
        startBoth("timeout: 20ms, failure: fail-closed");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.send(request(first, "/a", "c")).statusCode() == 200);
        int before = origin.requestCount("/a");

        redis.stop();
        long slowest = 0;
        for (int i = 0; i < 50; i++) {
            long started = System.nanoTime();
            HttpResponse<String> refused = first.send(request(first, "/a", "c"));
            slowest = Math.max(slowest, System.nanoTime() - started);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        }
        System.out.printf("fail-closed, Redis stopped: slowest answer %.1f ms%n", slowest / 1e6);
        assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).as("answered within the 20 ms timeout, plus HTTP").isLessThan(20 + 200);
        assertThat(origin.requestCount("/a")).as("refused requests never reach the origin").isEqualTo(before);
    }

    @Test
    void redisStoppedMidTestFailsOpenWithinTheTimeout() throws Exception {
        startBoth("timeout: 20ms, failure: fail-open");
        redis.stop();
        long slowest = 0;
        for (int i = 0; i < BURST + 100; i++) {   // beyond the limit: the policy admits them all
            long started = System.nanoTime();
            assertThat(second.send(request(second, "/b", "c")).statusCode()).isEqualTo(200);
            slowest = Math.max(slowest, System.nanoTime() - started);
        }
        System.out.printf("fail-open, Redis stopped: slowest answer %.1f ms%n", slowest / 1e6);
        assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).isLessThan(20 + 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.status("api-limit").orElseThrow()
                .contains("answered by the failure policy " + (BURST + 100)));

        redis.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> second.status("api-limit").orElseThrow().contains(", connected,"));
    }

    @Test
    void aStalledRedisFailsClosedAfterTheTimeoutAndRecovers() throws Exception {
        startBoth("timeout: 30ms, failure: fail-closed");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.send(request(first, "/c", "c")).statusCode() == 200);

        Thread pause = redis.pause(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .until(() -> first.send(request(first, "/c", "c")).statusCode() == 503);
        long started = System.nanoTime();
        HttpResponse<String> refused = first.send(request(first, "/c", "c"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("fail-closed, Redis stalled: answered in %d ms%n", millis);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(millis).as("the request waited for the timeout, and no longer").isBetween(25L, 30L + 200);

        pause.join(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.send(request(first, "/c", "other")).statusCode() == 200);
    }
}
