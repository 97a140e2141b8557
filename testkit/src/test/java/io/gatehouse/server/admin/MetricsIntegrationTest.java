package io.gatehouse.server.admin;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.metrics.FilterMetrics;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics} of a real proxy in front of a real origin, after real requests. */
class MetricsIntegrationTest {

    private static TestOrigin origin;
    private static EmbeddedGatehouse proxy;

    /** {@code route-api}: names the route {@code api}. */
    public static final class RouteApi implements ProxyFilterFactory<Object> {
        @Override
        public String type() {
            return "route-api";
        }

        @Override
        public Object parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            FilterMetrics.Counter routed = context.metrics().counter("routed", "route", "api");
            return exchange -> {
                exchange.setRoute("api");
                routed.increment();
                return FilterResult.proceed();
            };
        }
    }

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(Reply.ok("hello from the origin"));
        List<ProxyFilterFactory<?>> filters = new ArrayList<>(TestFilters.all());
        filters.add(new RouteApi());
        proxy = EmbeddedGatehouse.builder().config("""
                admin:
                  listen: 127.0.0.1:0
                filters:
                  - type: route-api
                    name: router
                    when: { path-prefix: /api }
                  - type: answer
                    name: deny
                    when: { path-prefix: /deny }
                    config: { status: 403 }
                  - type: fail
                    name: broken
                    when: { path-prefix: /broken }
                """).filters(filters).upstream(origin).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    private static HttpResponse<String> scrape() throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(proxy.adminUri("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the value of the series that starts with {@code series} (name and labels), 0 when absent */
    private static double value(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    private static double valueNow(String series) throws Exception {
        return value(scrape().body(), series);
    }

    @Test
    void countersAndPerFilterTimersMoveWithRealTraffic() throws Exception {
        String ok = "gatehouse_requests_total{cluster=\"none\",outcome=\"completed\",route=\"api\",status_class=\"2xx\"}";
        String denied = "gatehouse_requests_total{cluster=\"none\",outcome=\"completed\",route=\"none\",status_class=\"4xx\"}";
        String routerCalls = "gatehouse_filter_calls_total{filter=\"router\",hook=\"onRequest\",type=\"route-api\"}";
        String routerTimed = "gatehouse_filter_duration_seconds_count{filter=\"router\",hook=\"onRequest\",type=\"route-api\"}";
        String routerResponses = "gatehouse_filter_duration_seconds_count{filter=\"router\",hook=\"onResponse\",type=\"route-api\"}";
        String denyShort = "gatehouse_filter_short_circuits_total{filter=\"deny\",hook=\"onRequest\",type=\"answer\"}";
        String brokenErrors = "gatehouse_filter_errors_total{cause=\"failure\",filter=\"broken\",hook=\"onRequest\",type=\"fail\"}";
        String pluginCounter = "gatehouse_filter_routed_total{filter=\"router\",route=\"api\",type=\"route-api\"}";
        String before = scrape().body();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = proxy.get("/api/thing-" + i);
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(proxy.get("/deny").statusCode()).isEqualTo(403);
        assertThat(proxy.get("/broken").statusCode()).isEqualTo(500);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = scrape().body();
            assertThat(value(text, ok) - value(before, ok)).isEqualTo(3);
            assertThat(value(text, denied) - value(before, denied)).isEqualTo(1);
        });
        String after = scrape().body();
        assertThat(value(after, routerCalls) - value(before, routerCalls)).isEqualTo(3);
        assertThat(value(after, routerTimed) - value(before, routerTimed)).isEqualTo(3);
        assertThat(value(after, routerResponses) - value(before, routerResponses)).isEqualTo(3);
        assertThat(value(after, denyShort) - value(before, denyShort)).isEqualTo(1);
        assertThat(value(after, pluginCounter) - value(before, pluginCounter)).as("a plugin's own meter").isEqualTo(3);
        assertThat(value(after, brokenErrors) - value(before, brokenErrors)).isEqualTo(1);
        String latency = "gatehouse_request_duration_seconds_count{cluster=\"none\",route=\"api\"}";
        assertThat(value(after, latency) - value(before, latency)).isEqualTo(3);
        String upstream = "gatehouse_upstream_duration_seconds_count{cluster=\"none\",route=\"api\"}";
        assertThat(value(after, upstream) - value(before, upstream)).isEqualTo(3);
        String bytesOut = "gatehouse_response_body_bytes_total{cluster=\"none\",route=\"api\"}";
        assertThat(value(after, bytesOut) - value(before, bytesOut)).isEqualTo(3 * "hello from the origin".length());
        String attempts = "gatehouse_upstream_attempts_total{cluster=\"none\",route=\"api\"}";
        assertThat(value(after, attempts) - value(before, attempts)).isEqualTo(3);
        assertThat(after).contains("# TYPE gatehouse_request_duration_seconds histogram",
                "gatehouse_client_connections{state=\"open\"}", "gatehouse_exchanges_in_flight",
                "gatehouse_upstream_connections{state=\"idle\"}");
        assertThat(value(after, "gatehouse_upstream_connections{state=\"idle\"}")
                + value(after, "gatehouse_upstream_connections{state=\"leased\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void metricsIsPrometheusTextAndStatsStillWork() throws Exception {
        HttpResponse<String> response = scrape();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# HELP gatehouse_filter_calls_total");
        assertThat(valueNow("gatehouse_exchanges_in_flight")).isZero();
        HttpResponse<String> stats = proxy.client().send(HttpRequest.newBuilder(proxy.adminUri("/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stats.body()).startsWith("in_flight 0\n");
    }
}
