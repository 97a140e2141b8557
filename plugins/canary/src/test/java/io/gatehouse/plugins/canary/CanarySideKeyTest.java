package io.gatehouse.plugins.canary;

import io.gatehouse.api.Keys;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The assigned side is published under the API's well-known key, for filters of other plugins. */
class CanarySideKeyTest {

    private static final Map<String, ?> CONFIG = Map.of("splits", List.of(Map.of("name", "release", "from", "users",
            "to", List.of(Map.of("cluster", "users-stable", "weight", 0), Map.of("cluster", "users-canary", "weight", 100)))));

    @Test
    void theAssignedClusterIsSetAsTheCanarySide() {
        try (FilterHarness harness = FilterHarness.of(new CanaryFilterFactory(), CONFIG)) {
            TestExchange exchange = TestExchange.get("/");
            exchange.setCluster("users");

            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.cluster()).contains("users-canary");
            assertThat(exchange.attribute(Keys.CANARY_SIDE)).contains("users-canary");
        }
    }

    @Test
    void anExchangeOutsideEverySplitHasNoSide() {
        try (FilterHarness harness = FilterHarness.of(new CanaryFilterFactory(), CONFIG)) {
            TestExchange exchange = TestExchange.get("/");
            exchange.setCluster("orders");

            harness.request(exchange);
            assertThat(exchange.attribute(Keys.CANARY_SIDE)).isEmpty();
        }
    }
}
