package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.testkit.FilterHarness;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A reload that does not touch a balancer keeps its instance: endpoint health and connection counts survive. */
class LoadBalancerCarryOverTest {

    private static final String YAML = """
            clusters:
              users:
                endpoints: [ { url: "http://10.0.0.1:80", weight: 3 }, { url: "http://10.0.0.2:80" } ]
                policy: consistent-hash
                hash-key: cookie:session
                sticky: { cookie: u, max-age: 1h, secure: true, secret: "0123456789abcdef" }
                health-check: { path: /hc, interval: 2s, timeout: 500ms, expected-statuses: [ "200-204", "302" ] }
                outlier-detection: { consecutive-errors: 7, base-ejection: 10s }
                retries: { attempts: 3, retry-on: [ reset, "503" ] }
            default-cluster: users
            """;

    private final LoadBalancerFilterFactory factory = new LoadBalancerFilterFactory();

    private LoadBalancerConfig parse(String yaml) {
        Map<String, Object> map = new Yaml().load(yaml);
        return factory.parseConfig(PluginConfig.of("filters[1].config", map));
    }

    @Test
    void theSameConfigurationParsesEqualAndKeepsTheRunningInstance() {
        Map<String, Object> map = new Yaml().load(YAML);
        try (FilterHarness harness = FilterHarness.of(factory, map)) {
            LoadBalancerConfig reread = parse(YAML);
            assertThat(reread).isEqualTo(parse(YAML));

            ProxyFilter kept = factory.create(reread, harness.context(), Optional.of(harness.filter()));

            assertThat(kept).isSameAs(harness.filter());
        }
    }

    @Test
    void aChangedWeightIsAnotherConfiguration() {
        assertThat(parse(YAML.replace("weight: 3", "weight: 4"))).isNotEqualTo(parse(YAML));
    }

    @Test
    void withoutAPreviousInstanceANewOneIsCreated() {
        Map<String, Object> map = new Yaml().load(YAML);
        try (FilterHarness harness = FilterHarness.of(factory, map)) {
            ProxyFilter fresh = factory.create(parse(YAML), harness.context(), Optional.empty());
            try {
                assertThat(fresh).isNotSameAs(harness.filter()).isInstanceOf(LoadBalancerFilter.class);
            } finally {
                fresh.close();
            }
        }
    }
}
