package io.gatehouse.server.admin;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.metrics.FilterMetrics;
import io.gatehouse.server.chain.ExchangeOutcome;
import io.gatehouse.server.metrics.FilterMeters;
import io.gatehouse.server.metrics.RegistryFilterMetrics;
import io.gatehouse.server.metrics.ServerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampler and the document, on a clock the test moves. */
class DashboardTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Dashboard dashboard = new Dashboard(metrics.registry(), now::get);

    @AfterEach
    void close() {
        dashboard.close();
    }

    private void exchanges(int count, String route, String cluster, int status, long millis) {
        for (int i = 0; i < count; i++) {
            metrics.exchanges().record(ExchangeOutcome.builder(Outcome.Kind.COMPLETED).status(status)
                    .durationNanos(TimeUnit.MILLISECONDS.toNanos(millis)).routing(Optional.of(route), Optional.of(cluster))
                    .attempts(1).build());
        }
    }

    private void tick(long millis) {
        now.addAndGet(millis);
        dashboard.sample();
    }

    @Test
    void ratesAndPercentilesArePerIntervalNotSinceStart() {
        exchanges(1_000, "api", "orders", 200, 3); // before the first reading: in the totals, not in any rate
        dashboard.sample();
        exchanges(20, "api", "orders", 200, 3);
        tick(2_000);
        exchanges(8, "api", "orders", 500, 300);
        exchanges(2, "web", "pages", 404, 3);
        tick(2_000);

        String json = dashboard.json();

        // two intervals: 10 exchanges/s at ~3 ms, then 5/s of which 4/s slow 5xx
        assertThat(json).contains("\"points\":[{\"t\":1002000,\"rate\":10,\"p50\":3,\"p95\":4.800,\"p99\":4.960,"
                + "\"classes\":{\"none\":0,\"1xx\":0,\"2xx\":10,\"3xx\":0,\"4xx\":0,\"5xx\":0}}");
        assertThat(json).contains("{\"t\":1004000,\"rate\":5,\"p50\":");
        assertThat(json).contains("\"classes\":{\"none\":0,\"1xx\":0,\"2xx\":0,\"3xx\":0,\"4xx\":1,\"5xx\":4}}]");
        // the tables' window covers both intervals (4 s): 30 exchanges
        assertThat(json).contains("\"windowSeconds\":4");
        assertThat(json).contains("\"summary\":{\"requests\":1030,\"rate\":7.500,\"errorShare\":26.667,");
        assertThat(json).contains("\"routes\":[{\"name\":\"api\",\"requests\":1028,\"rate\":7,\"4xx\":0,\"5xx\":8,");
        assertThat(json).contains("{\"name\":\"web\",\"requests\":2,\"rate\":0.500,\"4xx\":2,\"5xx\":0,");
        assertThat(json).contains("\"clusters\":[{\"name\":\"orders\",\"requests\":1028,");
    }

    @Test
    void theWindowSlidesAndTheChartsKeepFiveMinutes() {
        dashboard.sample();
        for (int i = 0; i < Dashboard.POINTS + 10; i++) {
            exchanges(i < Dashboard.POINTS ? 0 : 4, "api", "orders", 200, 3);
            tick(2_000);
        }
        String json = dashboard.json();
        assertThat(json.split("\"t\":", -1)).hasSize(Dashboard.POINTS + 1);
        assertThat(json).contains("\"windowSeconds\":" + 2 * Dashboard.WINDOW);
        assertThat(json).contains("\"summary\":{\"requests\":40,\"rate\":2,");
    }

    @Test
    void filtersCachesSplitsAndEndpointsFromTheirMeters() {
        FilterMeters router = FilterMeters.create(metrics.registry(), "router", "router");
        FilterMetrics cache = new RegistryFilterMetrics(metrics.registry(), "cache", "cache");
        FilterMetrics canary = new RegistryFilterMetrics(metrics.registry(), "canary", "canary");
        FilterMetrics balancer = new RegistryFilterMetrics(metrics.registry(), "lb", "load-balancer");
        FilterMetrics.Counter hits = cache.counter("cache.hits");
        FilterMetrics.Counter misses = cache.counter("cache.misses");
        cache.gauge("cache.stored.keys", () -> 3);
        cache.gauge("cache.stored.bytes", () -> 2048);
        AtomicLong stableServed = new AtomicLong();
        AtomicLong canaryServed = new AtomicLong();
        canary.gauge("canary.weight", () -> 90, "split", "orders", "cluster", "orders-v1");
        canary.gauge("canary.weight", () -> 10, "split", "orders", "cluster", "orders-v2");
        canary.gauge("canary.served", stableServed::get, "split", "orders", "cluster", "orders-v1");
        canary.gauge("canary.served", canaryServed::get, "split", "orders", "cluster", "orders-v2");
        balancer.gauge("endpoint.healthy", () -> 1, "cluster", "orders-v1", "endpoint", "http://10.0.0.1:80");
        balancer.gauge("endpoint.ejected", () -> 0, "cluster", "orders-v1", "endpoint", "http://10.0.0.1:80");
        balancer.gauge("endpoint.in.flight", () -> 2, "cluster", "orders-v1", "endpoint", "http://10.0.0.1:80");
        balancer.gauge("endpoint.ejections", () -> 0, "cluster", "orders-v1", "endpoint", "http://10.0.0.1:80");
        balancer.gauge("endpoint.healthy", () -> 0, "cluster", "orders-v1", "endpoint", "http://10.0.0.2:80");
        balancer.gauge("endpoint.ejected", () -> 0, "cluster", "orders-v1", "endpoint", "http://10.0.0.2:80");
        balancer.gauge("endpoint.in.flight", () -> 0, "cluster", "orders-v1", "endpoint", "http://10.0.0.2:80");
        balancer.gauge("endpoint.ejections", () -> 3, "cluster", "orders-v1", "endpoint", "http://10.0.0.2:80");
        hits.increment(10);
        misses.increment(10);
        stableServed.set(100);
        dashboard.sample();
        for (int i = 0; i < 10; i++) {
            router.request().called();
            router.response().called(); // other hooks of the same exchanges: not more calls
            router.completeCalled();
            router.request().proceeded(System.nanoTime() - Duration.ofMillis(2).toNanos());
        }
        hits.increment(9);
        misses.increment(1);
        stableServed.addAndGet(8);
        canaryServed.addAndGet(2);
        tick(2_000);

        String json = dashboard.json();

        assertThat(json).contains("\"caches\":[{\"filter\":\"cache\",\"hits\":19,\"misses\":11,\"hitRatio\":63.333,"
                + "\"recentHitRatio\":90,\"storedKeys\":3,\"storedBytes\":2048}]");
        assertThat(json).contains("{\"filter\":\"canary\",\"split\":\"orders\",\"cluster\":\"orders-v2\",\"weight\":10,\"weightShare\":10,"
                + "\"served\":2,\"servedShare\":1.818,\"recentShare\":20}");
        assertThat(json).contains("{\"filter\":\"lb\",\"cluster\":\"orders-v1\",\"endpoint\":\"http://10.0.0.1:80\",\"state\":\"up\","
                + "\"inFlight\":2,\"ejections\":0}");
        assertThat(json).contains("\"endpoint\":\"http://10.0.0.2:80\",\"state\":\"down\",\"inFlight\":0,\"ejections\":3}");
        assertThat(json).contains("{\"name\":\"router\",\"type\":\"router\",\"calls\":10,\"rate\":5,\"shortCircuits\":0,\"errors\":0,"
                + "\"requestMean\":2.");
        assertThat(json).contains("\"responseMean\":null,\"responseP95\":null}");
    }

    @Test
    void anEmptyHistoryIsAValidDocument() {
        assertThat(dashboard.json()).startsWith("{\"time\":0,").contains("\"points\":[]", "\"routes\":[]", "\"filters\":[]")
                .contains("\"p50\":null");
    }

    @Test
    void thePageHasOneScriptAndNoExternalResource() {
        String html = new String(Dashboard.DashboardPage.HTML, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(html).contains("<script>").doesNotContain("src=\"http", "href=\"http", "innerHTML", "<script src");
        assertThat(Dashboard.DashboardPage.CONTENT_SECURITY_POLICY).contains("script-src 'sha256-", "default-src 'none'");
    }
}
