package io.gatehouse.plugins.cache;

import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.testkit.FilterHarness;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A reload that does not touch the cache keeps its instance, and with it the cached entries. */
class CacheCarryOverTest {

    private static final String YAML = """
            max-size: 8MiB
            max-object-size: 1MiB
            max-variants: 4
            heuristic-percent: 12.5%
            key: { sort-query: true, ignore-query: [ utm_source ], headers: [ Accept-Language ] }
            """;

    private final CacheFilterFactory factory = new CacheFilterFactory();

    private CacheConfig parse(String yaml) {
        Map<String, Object> map = new Yaml().load(yaml);
        return factory.parseConfig(PluginConfig.of("filters[2].config", map));
    }

    @Test
    void theSameConfigurationParsesEqualAndKeepsTheRunningInstance() {
        Map<String, Object> map = new Yaml().load(YAML);
        try (FilterHarness harness = FilterHarness.of(factory, map)) {
            CacheConfig reread = parse(YAML);
            assertThat(reread).isEqualTo(parse(YAML));

            ProxyFilter kept = factory.create(reread, harness.context(), Optional.of(harness.filter()));

            assertThat(kept).isSameAs(harness.filter());
        }
    }

    @Test
    void anotherSizeIsAnotherConfiguration() {
        assertThat(parse(YAML.replace("max-size: 8MiB", "max-size: 16MiB"))).isNotEqualTo(parse(YAML));
    }
}
