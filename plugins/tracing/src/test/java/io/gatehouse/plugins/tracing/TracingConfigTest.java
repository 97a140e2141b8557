package io.gatehouse.plugins.tracing;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracingConfigTest {

    private static TracingConfig parse(Map<String, ?> values) {
        return TracingConfig.parse(PluginConfig.of("filters[0].config", values));
    }

    @Test
    void defaults() {
        TracingConfig config = parse(Map.of());
        assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4318/v1/traces"));
        assertThat(config.serviceName()).isEqualTo("gatehouse");
        assertThat(config.resource()).isEmpty();
        assertThat(config.headers()).isEmpty();
        assertThat(config.compression()).isEqualTo("none");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.hooks()).isTrue();
        assertThat(config.queue()).isEqualTo(2048);
        assertThat(config.batchSize()).isEqualTo(512);
        assertThat(config.delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyKeyIsBound() {
        TracingConfig config = parse(Map.of("endpoint", "https://otel.example:4318/v1/traces", "service-name", "edge",
                "resource", List.of("deployment.environment.name=prod", "team = web"), "headers", Map.of("Authorization", "Bearer k"),
                "compression", "gzip", "timeout", "3s", "hooks", false, "batch", Map.of("queue", 100, "size", 10, "delay", "200ms")));
        assertThat(config.endpoint()).isEqualTo(URI.create("https://otel.example:4318/v1/traces"));
        assertThat(config.serviceName()).isEqualTo("edge");
        assertThat(config.resource()).containsExactlyInAnyOrderEntriesOf(Map.of("deployment.environment.name", "prod", "team", "web"));
        assertThat(config.headers()).containsExactlyEntriesOf(Map.of("Authorization", "Bearer k"));
        assertThat(config.compression()).isEqualTo("gzip");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.hooks()).isFalse();
        assertThat(config.queue()).isEqualTo(100);
        assertThat(config.batchSize()).isEqualTo(10);
        assertThat(config.delay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> parse(Map.of("endpoint", "ftp://x/"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.endpoint: expected an http or https URL");
        assertThatThrownBy(() -> parse(Map.of("endpoint", "http://"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.endpoint:");
        assertThatThrownBy(() -> parse(Map.of("resource", List.of("novalue")))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.resource[0]: expected key=value");
        assertThatThrownBy(() -> parse(Map.of("compression", "zstd"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.compression: expected none or gzip");
        assertThatThrownBy(() -> parse(Map.of("batch", Map.of("queue", 10, "size", 20)))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.batch.size: must not exceed batch.queue (10)");
        assertThatThrownBy(() -> parse(Map.of("batch", Map.of("queue", 0)))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.batch.queue:");
        assertThatThrownBy(() -> parse(Map.of("sampling", 1))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.sampling: unknown key");
        assertThatThrownBy(() -> parse(Map.of("timeout", "0s"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.timeout:");
    }
}
