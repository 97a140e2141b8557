package io.gatehouse.plugins.canary;

import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each split target's weight and the requests sent to it, as the canary publishes them through FilterContext.metrics(). */
class CanaryMetricsTest {

    private static final Map<String, ?> CONFIG = Map.of("splits", List.of(Map.of("name", "release", "from", "users",
            "to", List.of(Map.of("cluster", "users-stable", "weight", 0), Map.of("cluster", "users-canary", "weight", 100)))));

    @Test
    void publishesWeightsAndServedRequestsPerTarget() {
        try (FilterHarness harness = FilterHarness.of(new CanaryFilterFactory(), CONFIG)) {
            for (int i = 0; i < 3; i++) {
                TestExchange exchange = TestExchange.get("/");
                exchange.setCluster("users");
                harness.request(exchange);
            }
            TestExchange other = TestExchange.get("/");
            other.setCluster("orders"); // outside the split: not counted
            harness.request(other);

            assertThat(harness.metrics().gauge("canary.weight", "split", "release", "cluster", "users-stable")).hasValue(0);
            assertThat(harness.metrics().gauge("canary.weight", "split", "release", "cluster", "users-canary")).hasValue(100);
            assertThat(harness.metrics().gauge("canary.served", "split", "release", "cluster", "users-stable")).hasValue(0);
            assertThat(harness.metrics().gauge("canary.served", "split", "release", "cluster", "users-canary")).hasValue(3);
        }
    }
}
