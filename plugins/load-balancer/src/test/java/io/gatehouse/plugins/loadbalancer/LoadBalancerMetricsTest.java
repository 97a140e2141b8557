package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.testkit.FilterHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each endpoint's state, as the balancer publishes it through FilterContext.metrics(). */
class LoadBalancerMetricsTest {

    private static final String A = "http://127.0.0.1:9";
    private static final String B = "http://127.0.0.1:10";

    @Test
    void publishesHealthEjectionsAndRequestsInFlightPerEndpoint() {
        try (FilterHarness harness = FilterHarness.of(new LoadBalancerFilterFactory(),
                Map.of("clusters", Map.of("api", Map.of("endpoints", List.of(A, B)))))) {
            Cluster cluster = ((LoadBalancerFilter) harness.filter()).clusters().get("api");
            Endpoint a = cluster.endpoints().get(0);
            Endpoint b = cluster.endpoints().get(1);

            assertThat(harness.metrics().gauge("endpoint.healthy", "cluster", "api", "endpoint", A)).hasValue(1);
            assertThat(harness.metrics().gauge("endpoint.ejected", "cluster", "api", "endpoint", A)).hasValue(0);

            a.requestStarted();
            a.requestStarted();
            b.probeFailed(1);
            a.tryEject(System.nanoTime(), Duration.ofMinutes(1).toNanos(), Duration.ofMinutes(5).toNanos());

            assertThat(harness.metrics().gauge("endpoint.in.flight", "cluster", "api", "endpoint", A)).hasValue(2);
            assertThat(harness.metrics().gauge("endpoint.ejected", "cluster", "api", "endpoint", A)).hasValue(1);
            assertThat(harness.metrics().gauge("endpoint.ejections", "cluster", "api", "endpoint", A)).hasValue(1);
            assertThat(harness.metrics().gauge("endpoint.healthy", "cluster", "api", "endpoint", B)).hasValue(0);
            assertThat(harness.metrics().gauge("endpoint.healthy", "cluster", "api", "endpoint", A)).hasValue(1);
        }
    }
}
