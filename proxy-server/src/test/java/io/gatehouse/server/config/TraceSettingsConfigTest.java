package io.gatehouse.server.config;

import io.gatehouse.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code server.forwarding.trace-context}. */
class TraceSettingsConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Path.of("/opt/gatehouse"));

    private TraceSettings parse(String yaml) {
        return loader.parse(yaml, "test.yaml").forwarding().traceContext();
    }

    @Test
    void onByDefaultContinuingEveryTraceAndSamplingAllNewOnes() {
        assertThat(parse("")).isEqualTo(TraceSettings.DEFAULT);
        assertThat(TraceSettings.DEFAULT).isEqualTo(new TraceSettings(true, TraceSettings.Continue.ALWAYS, 1.0));
    }

    @Test
    void everyKeyIsBound() {
        assertThat(parse("server: { forwarding: { trace-context: { enabled: false, continue: trusted-proxies, sampling: 0.25 } } }"))
                .isEqualTo(new TraceSettings(false, TraceSettings.Continue.TRUSTED_PROXIES, 0.25));
        assertThat(parse("server: { forwarding: { trace-context: { continue: never, sampling: 5% } } }"))
                .isEqualTo(new TraceSettings(true, TraceSettings.Continue.NEVER, 0.05));
        assertThat(parse("server: { forwarding: { trace-context: { sampling: 0 } } }").sampling()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "server: { forwarding: { trace-context: { sampling: 1.5 } } }|server.forwarding.trace-context.sampling: expected a share between 0 and 1",
        "server: { forwarding: { trace-context: { sampling: some } } }|server.forwarding.trace-context.sampling: expected a share",
        "server: { forwarding: { trace-context: { sampling: '-1%' } } }|server.forwarding.trace-context.sampling: expected a share",
        "server: { forwarding: { trace-context: { continue: sometimes } } }|server.forwarding.trace-context.continue: expected always, trusted-proxies or never",
        "server: { forwarding: { trace-context: { ratio: 1 } } }|server.forwarding.trace-context.ratio: unknown key",
    })
    void badValuesNameTheKey(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
