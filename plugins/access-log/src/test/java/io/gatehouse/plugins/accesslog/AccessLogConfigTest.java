package io.gatehouse.plugins.accesslog;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessLogConfigTest {

    private static AccessLogConfig parse(Map<String, Object> config) {
        return new AccessLogFilterFactory().parseConfig(PluginConfig.of(config));
    }

    @Test
    void defaultsAreCombinedToAFileWithABoundedBuffer() {
        AccessLogConfig config = parse(Map.of());
        assertThat(config.format()).isInstanceOf(CombinedFormat.class);
        assertThat(config.file()).hasValueSatisfying(f -> {
            assertThat(f.path().getFileName().toString()).isEqualTo("access.log");
            assertThat(f.maxSize()).isEqualTo(100L * 1024 * 1024);
            assertThat(f.daily()).isTrue();
            assertThat(f.maxFiles()).isEqualTo(14);
        });
        assertThat(config.bufferLines()).isEqualTo(10_000);
        assertThat(config.bufferBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> parse(Map.of("format", "xml"))).isInstanceOf(ConfigException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> parse(Map.of("format", "pattern"))).hasMessageContaining("pattern");
        assertThatThrownBy(() -> parse(Map.of("format", "pattern", "pattern", "${nope}")))
                .hasMessageContaining("pattern").hasMessageContaining("unknown field ${nope}");
        assertThatThrownBy(() -> parse(Map.of("pattern", "${id}"))).hasMessageContaining("only with format: pattern");
        assertThatThrownBy(() -> parse(Map.of("output", "syslog"))).hasMessageContaining("output");
        assertThatThrownBy(() -> parse(Map.of("output", "stdout", "file", Map.of("path", "x.log"))))
                .hasMessageContaining("file");
        assertThatThrownBy(() -> parse(Map.of("buffer", Map.of("lines", 0)))).hasMessageContaining("buffer.lines");
        assertThatThrownBy(() -> parse(Map.of("redact", Map.of("headers", List.of("bad header")))))
                .hasMessageContaining("redact.headers[0]");
        assertThatThrownBy(() -> parse(Map.of("time-zone", "Mars/Olympus"))).hasMessageContaining("time-zone");
        assertThatThrownBy(() -> parse(Map.of("colour", "blue"))).hasMessageContaining("colour");
    }
}
