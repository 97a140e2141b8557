package io.gatehouse.server.metrics;

import io.gatehouse.api.Outcome;
import io.gatehouse.server.chain.ExchangeOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeMetersTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final MeterRegistry registry = metrics.registry();

    private static ExchangeOutcome outcome(Outcome.Kind kind, int status, Optional<String> route, int attempts) {
        return ExchangeOutcome.builder(kind).status(status).bodyBytes(10, 1_000).durationNanos(TimeUnit.MILLISECONDS.toNanos(3))
                .routing(route, route.map(r -> "c-" + r)).attempts(attempts).upstreamTime(Optional.of(Duration.ofMillis(2)))
                .build();
    }

    @Test
    void recordsRequestsLatencyBytesAndAttemptsPerRouteAndCluster() {
        ExchangeMeters meters = metrics.exchanges();
        meters.record(outcome(Outcome.Kind.COMPLETED, 200, Optional.of("api"), 1));
        meters.record(outcome(Outcome.Kind.COMPLETED, 204, Optional.of("api"), 3));
        meters.record(outcome(Outcome.Kind.COMPLETED, 503, Optional.of("api"), 2));
        meters.record(outcome(Outcome.Kind.ABORTED, 0, Optional.empty(), 0));

        assertThat(registry.get("gatehouse.requests").tags("route", "api", "cluster", "c-api", "status_class", "2xx",
                "outcome", "completed").counter().count()).isEqualTo(2);
        assertThat(registry.get("gatehouse.requests").tags("route", "api", "status_class", "5xx").counter().count()).isEqualTo(1);
        assertThat(registry.get("gatehouse.requests").tags("route", "none", "cluster", "none", "status_class", "none",
                "outcome", "aborted").counter().count()).isEqualTo(1);
        assertThat(registry.get("gatehouse.request.duration").tags("route", "api").timer().count()).isEqualTo(3);
        assertThat(registry.get("gatehouse.upstream.duration").tags("route", "api").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(6);
        assertThat(registry.get("gatehouse.request.body.bytes").tags("route", "api").counter().count()).isEqualTo(30);
        assertThat(registry.get("gatehouse.response.body.bytes").tags("route", "api").counter().count()).isEqualTo(3_000);
        assertThat(registry.get("gatehouse.upstream.attempts").tags("route", "api").counter().count()).isEqualTo(6);
        assertThat(registry.get("gatehouse.upstream.retries").tags("route", "api").counter().count()).isEqualTo(3);
    }

    @Test
    void routesPastTheCapShareOneSeries() {
        ExchangeMeters meters = metrics.exchanges();
        for (int i = 0; i < ExchangeMeters.MAX_PAIRS + 5; i++) {
            meters.record(outcome(Outcome.Kind.COMPLETED, 200, Optional.of("r" + i), 1));
        }
        assertThat(registry.get("gatehouse.request.duration").timers()).hasSize(ExchangeMeters.MAX_PAIRS + 1);
        assertThat(registry.get("gatehouse.request.duration").tags("route", ExchangeMeters.OTHER).timer().count()).isEqualTo(5);
    }

    @Test
    void scrapeIsPrometheusText() {
        metrics.exchanges().record(outcome(Outcome.Kind.COMPLETED, 200, Optional.of("api"), 1));
        assertThat(metrics.scrape())
                .contains("# TYPE gatehouse_requests_total counter")
                .contains("gatehouse_requests_total{cluster=\"c-api\",outcome=\"completed\",route=\"api\",status_class=\"2xx\"} 1")
                .contains("gatehouse_request_duration_seconds_bucket{cluster=\"c-api\",route=\"api\",le=\"0.005\"} 1")
                .contains("gatehouse_upstream_retries_total");
    }
}
