package io.gatehouse.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The validated accessors of {@link PluginConfig}: valid values, boundaries, and errors naming the full key. */
class PluginConfigValidatorsTest {

    private static PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("filters[2].config", values);
    }

    private static void assertError(Runnable read, String key, String message) {
        ConfigException e = catchThrowableOfType(ConfigException.class, read::run);
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.key()).isEqualTo("filters[2].config." + key);
        assertThat(e).hasMessageStartingWith("filters[2].config." + key + ": " + message);
    }

    enum Policy { ROUND_ROBIN, LEAST_REQUEST, RANDOM }

    @Test
    void requiredInt() {
        PluginConfig config = config(Map.of("n", 7, "s", "seven"));
        assertThat(config.getInt("n")).isEqualTo(7);
        assertError(() -> config.getInt("absent"), "absent", "required value is missing");
        assertError(() -> config.getInt("s"), "s", "expected an integer, got \"seven\"");
    }

    @Test
    void intInRangeWithBoundaries() {
        PluginConfig config = config(Map.of("low", 1, "high", 1000, "zero", 0, "over", 1001, "neg", -1));
        assertThat(config.getInt("low", 5, 1, 1000)).isEqualTo(1);
        assertThat(config.getInt("high", 5, 1, 1000)).isEqualTo(1000);
        assertThat(config.getInt("absent", 5, 1, 1000)).isEqualTo(5);
        assertError(() -> config.getInt("zero", 5, 1, 1000), "zero", "must be between 1 and 1000, got 0");
        assertError(() -> config.getInt("over", 5, 1, 1000), "over", "must be between 1 and 1000, got 1001");
        assertError(() -> config.getInt("neg", 0, 0, Integer.MAX_VALUE), "neg", "must not be negative, got -1");
        assertError(() -> config.getInt("zero", 1, 1, Integer.MAX_VALUE), "zero", "must be at least 1, got 0");
        assertError(() -> config.getInt("over", 1, Integer.MIN_VALUE, 1000), "over", "must be at most 1000, got 1001");
    }

    @Test
    void aDefaultOutsideTheRangeIsAProgrammingError() {
        assertThatThrownBy(() -> config(Map.of()).getInt("x", 0, 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(Map.of()).getPercent("x", 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(Map.of()).getPositiveDuration("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizeInRange() {
        PluginConfig config = config(Map.of("ok", "16MiB", "zero", "0B", "big", "1GiB"));
        assertThat(config.getSize("ok", 0, 0, 16L << 20)).isEqualTo(16L << 20);
        assertThat(config.getSize("zero", 0, 0, 16L << 20)).isZero();
        assertThat(config.getSize("absent", 1024, 0, 16L << 20)).isEqualTo(1024);
        assertError(() -> config.getSize("big", 0, 0, 16L << 20), "big", "must be between 0B and 16MiB, got 1GiB");
        assertError(() -> config.getSize("zero", 1, 1, Long.MAX_VALUE), "zero", "must be at least 1B, got 0B");
    }

    @Test
    void positiveDurations() {
        PluginConfig config = config(Map.of("t", "1ms", "zero", "0s", "bad", "soon"));
        assertThat(config.getPositiveDuration("t", Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(1));
        assertThat(config.getPositiveDuration("absent", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.findPositiveDuration("t")).contains(Duration.ofMillis(1));
        assertThat(config.findPositiveDuration("absent")).isEmpty();
        assertError(() -> config.getPositiveDuration("zero", Duration.ofSeconds(5)), "zero", "must be positive, got \"0s\"");
        assertError(() -> config.findPositiveDuration("zero"), "zero", "must be positive");
        assertError(() -> config.findPositiveDuration("bad"), "bad", "expected a duration");
    }

    @Test
    void percentagesOneRuleForEveryone() {
        PluginConfig config = config(Map.of("int", 50, "decimal", 2.5, "sign", "50%", "spaced", " 7.5 % ", "zero", 0, "full", "100",
                "over", 101, "neg", -1, "word", "half", "sign-only", "%"));
        assertThat(config.getPercent("int", 10)).isEqualTo(50.0);
        assertThat(config.getPercent("decimal", 10)).isEqualTo(2.5);
        assertThat(config.getPercent("sign", 10)).isEqualTo(50.0);
        assertThat(config.getPercent("spaced", 10)).isEqualTo(7.5);
        assertThat(config.getPercent("zero", 10)).isZero();
        assertThat(config.getPercent("full", 10)).isEqualTo(100.0);
        assertThat(config.getPercent("absent", 10)).isEqualTo(10.0);
        assertError(() -> config.getPercent("over", 10), "over", "must be a percentage from 0 to 100, got \"101\"");
        assertError(() -> config.getPercent("neg", 10), "neg", "must be a percentage from 0 to 100");
        assertError(() -> config.getPercent("word", 10), "word", "must be a percentage from 0 to 100 (such as 10, 2.5 or 50%), got \"half\"");
        assertError(() -> config.getPercent("sign-only", 10), "sign-only", "must be a percentage");
    }

    @Test
    void upstreams() {
        PluginConfig config = config(Map.of("ok", "http://10.0.0.1:8080", "tls", "https://a.example", "ftp", "ftp://a.example",
                "path", "http://a.example/x", "list", List.of("http://a:1", "http://b:2"), "bad-list", List.of("http://a:1", "b:2")));
        assertThat(config.getUpstream("ok")).isEqualTo(new Upstream("http", "10.0.0.1", 8080));
        assertThat(config.findUpstream("ok")).contains(new Upstream("http", "10.0.0.1", 8080));
        assertThat(config.findUpstream("absent")).isEmpty();
        assertThat(config.getUpstreamList("list")).containsExactly(new Upstream("http", "a", 1), new Upstream("http", "b", 2));
        assertThat(config.getUpstreamList("absent")).isEmpty();
        assertError(() -> config.getUpstream("absent"), "absent", "required value is missing");
        assertThat(config.getUpstream("tls")).isEqualTo(new Upstream("https", "a.example", 443));
        assertError(() -> config.getUpstream("ftp"), "ftp", "expected an http or https URL such as http://10.0.0.1:8080, got \"ftp://a.example\"");
        assertError(() -> config.getUpstream("path"), "path", "expected http://host:port without path");
        assertError(() -> config.getUpstreamList("bad-list"), "bad-list[1]", "expected an http or https URL");
    }

    @Test
    void enumsAreCaseInsensitiveAndKebabFriendly() {
        PluginConfig config = config(Map.of("kebab", "least-request", "upper", "ROUND_ROBIN", "mixed", " Random ", "bad", "fastest"));
        assertThat(config.getEnum("kebab", Policy.class, Policy.RANDOM)).isEqualTo(Policy.LEAST_REQUEST);
        assertThat(config.getEnum("upper", Policy.class, Policy.RANDOM)).isEqualTo(Policy.ROUND_ROBIN);
        assertThat(config.getEnum("mixed", Policy.class, Policy.ROUND_ROBIN)).isEqualTo(Policy.RANDOM);
        assertThat(config.getEnum("absent", Policy.class, Policy.RANDOM)).isEqualTo(Policy.RANDOM);
        assertThat(config.findEnum("absent", Policy.class)).isEmpty();
        assertThat(config.findEnum("kebab", Policy.class)).contains(Policy.LEAST_REQUEST);
        assertError(() -> config.getEnum("bad", Policy.class, Policy.RANDOM), "bad",
                "expected one of round-robin, least-request, random, got \"fastest\"");
    }
}
