package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.testkit.FilterHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A reload that does not touch a rate limiter keeps its instance, and with it its buckets. */
class RateLimitCarryOverTest {

    private static final Map<String, Object> CONFIG = Map.of(
            "limits", List.of(
                    Map.of("name", "per-consumer", "key", "consumer", "rate", "6000/min", "burst", 200, "algorithm", "gcra"),
                    Map.of("key", List.of("client-ip", "route"), "rate", "10/15s", "algorithm", "sliding-window")),
            "concurrency", Map.of("max-concurrent", 50));

    private final RateLimitFilterFactory factory = new RateLimitFilterFactory();

    private RateLimitConfig parse(Map<String, Object> config) {
        return factory.parseConfig(PluginConfig.of("filters[2].config", config));
    }

    @Test
    void theSameConfigurationParsesEqualAndKeepsTheRunningInstance() {
        try (FilterHarness harness = FilterHarness.of(factory, CONFIG)) {
            RateLimitConfig reread = parse(CONFIG);
            assertThat(reread).isEqualTo(parse(CONFIG));

            ProxyFilter kept = factory.create(reread, harness.context(), Optional.of(harness.filter()));

            assertThat(kept).isSameAs(harness.filter());
        }
    }

    @Test
    void anotherKeyIsAnotherConfiguration() {
        Map<String, Object> other = Map.of("limits", List.of(
                Map.of("name", "per-consumer", "key", "header:X-Api-Key", "rate", "6000/min", "burst", 200, "algorithm", "gcra"),
                Map.of("key", List.of("client-ip", "route"), "rate", "10/15s", "algorithm", "sliding-window")),
                "concurrency", Map.of("max-concurrent", 50));

        assertThat(parse(other)).isNotEqualTo(parse(CONFIG));
    }
}
