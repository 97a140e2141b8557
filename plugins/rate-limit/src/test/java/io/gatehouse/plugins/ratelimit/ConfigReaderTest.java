package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.plugins.ratelimit.limit.Algorithm;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Rate;
import io.gatehouse.plugins.ratelimit.redis.FailurePolicy;
import io.gatehouse.plugins.ratelimit.redis.RedisSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every config error names its key; defaults are as documented. */
class ConfigReaderTest {

    private static RateLimitConfig read(Map<String, ?> config) {
        return ConfigReader.read(PluginConfig.of("filters[2].config", config));
    }

    private static void refused(Map<String, ?> config, String key, String message) {
        assertThatThrownBy(() -> read(config)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
                .hasMessageContaining(message);
    }

    @Test
    void oneLimitWithDefaults() {
        RateLimitConfig config = read(Map.of("key", "client-ip", "rate", "100/s"));
        assertThat(config.specs()).containsExactly(new LimitSpec("client-ip", new Rate(100, Duration.ofSeconds(1)), 100,
                Algorithm.TOKEN_BUCKET));
        assertThat(config.maxKeys()).isEqualTo(100_000);
        assertThat(config.headersOnAllowed()).isFalse();
        assertThat(config.redis()).isEmpty();
        assertThat(config.concurrency()).isEmpty();
    }

    @Test
    void severalLimitsWithNamesAndAlgorithms() {
        RateLimitConfig config = read(Map.of("limits", List.of(
                Map.of("name", "per-consumer", "key", "consumer", "rate", "6000/min", "burst", 200, "algorithm", "gcra"),
                Map.of("key", List.of("consumer", "route"), "rate", "10/15s", "algorithm", "sliding-window"))));
        assertThat(config.specs()).extracting(LimitSpec::name).containsExactly("per-consumer", "consumer+route");
        assertThat(config.specs().get(1).rate()).isEqualTo(new Rate(10, Duration.ofSeconds(15)));
        assertThat(config.specs().get(1).burst()).isEqualTo(10);
    }

    @Test
    void badValuesNameTheirKey() {
        refused(Map.of(), "filters[2].config.rate", "give key and rate");
        refused(Map.of("key", "client-ip", "rate", "100 per second"), "filters[2].config.rate", "expected a rate such as 100/s");
        refused(Map.of("key", "body", "rate", "1/s"), "filters[2].config.key", "expected client-ip, header:NAME");
        refused(Map.of("rate", "1/s"), "filters[2].config.key", "required value is missing");
        refused(Map.of("key", "route", "rate", "1/s", "algorithm", "leaky"), "filters[2].config.algorithm", "token-bucket");
        refused(Map.of("key", "route", "rate", "1/s", "burst", 0), "filters[2].config.burst", "must be between 1");
        refused(Map.of("key", "route", "rate", "5/s", "burst", 9, "algorithm", "sliding-window"), "filters[2].config.burst",
                "not with the sliding window");
        refused(Map.of("key", "route", "rate", "1/s", "limits", List.of(Map.of("key", "route", "rate", "1/s"))),
                "filters[2].config.key", "not both");
        refused(Map.of("limits", List.of(Map.of("key", "route", "rate", "1/s"), Map.of("key", "route", "rate", "9/s"))),
                "filters[2].config.limits[1].name", "two limits are named \"route\"");
        refused(Map.of("limits", List.of(Map.of("key", "route", "rate", "1/s", "burts", 3))),
                "filters[2].config.limits[0].burts", "");
        refused(Map.of("key", "route", "rate", "1/s", "name", "a \"b\""), "filters[2].config.name", "a limit's name");
        refused(Map.of("key", "route", "rate", "1/s", "max-keys", 0), "filters[2].config.max-keys", "must be between 1");
    }

    @Test
    void redisSettings() {
        RateLimitConfig config = read(Map.of("key", "client-ip", "rate", "100/s", "store", "redis",
                "redis", Map.of("uri", "redis://127.0.0.1:6379/0")));
        RedisSettings redis = config.redis().orElseThrow();
        assertThat(redis.uris()).containsExactly("redis://127.0.0.1:6379/0");
        assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(5));
        assertThat(redis.failure()).isEqualTo(FailurePolicy.FAIL_OPEN);
        assertThat(redis.keyPrefix()).isEqualTo("gatehouse:rl");
        assertThat(redis.batching()).isEmpty();

        RedisSettings batched = read(Map.of("key", "client-ip", "rate", "100/s", "store", "redis", "redis", Map.of(
                "uri", "redis://10.0.0.1", "failure", "fail-closed", "timeout", "20ms", "batch", Map.of("size", 50)))).redis().orElseThrow();
        assertThat(batched.failure()).isEqualTo(FailurePolicy.FAIL_CLOSED);
        assertThat(batched.batching()).contains(new RedisSettings.Batching(50, Duration.ofMillis(50)));
    }

    @Test
    void sentinelAndClusterUrisAreAcceptedAsLettuceAcceptsThem() {
        assertThat(read(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis",
                Map.of("uri", "redis-sentinel://s1:26379,s2:26379/0?sentinelMasterId=main"))).redis()).isPresent();
        assertThat(read(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis",
                Map.of("uri", List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000"), "cluster", true))).redis()
                .orElseThrow().cluster()).isTrue();
        assertThat(read(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis",
                Map.of("uri", "rediss://user:secret@redis.example.com:6380"))).redis()).isPresent();
    }

    @Test
    void badRedisSettingsNameTheirKey() {
        refused(Map.of("key", "route", "rate", "1/s", "store", "redis"), "filters[2].config.redis", "required with store: redis");
        refused(Map.of("key", "route", "rate", "1/s", "redis", Map.of("uri", "redis://x")), "filters[2].config.redis", "only with store: redis");
        refused(Map.of("key", "route", "rate", "1/s", "store", "memcached"), "filters[2].config.store", "local, redis");
        refused(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis", Map.of("timeout", "5ms")),
                "filters[2].config.redis.uri", "required value is missing");
        refused(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis", Map.of("uri", "http://x")),
                "filters[2].config.redis.uri", "not a Redis URI");
        refused(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis", Map.of("uri", List.of("redis://a", "redis://b"))),
                "filters[2].config.redis.uri", "unless cluster: true");
        refused(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis", Map.of("uri", "redis://a", "timeout", "2s")),
                "filters[2].config.redis.timeout", "at most 1s");
        refused(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis", Map.of("uri", "redis://a", "failure", "fail-maybe")),
                "filters[2].config.redis.failure", "fail-open, fail-closed");
        refused(Map.of("key", "route", "rate", "1/s", "store", "redis", "redis", Map.of("uri", "redis://a", "batch", Map.of("size", 0))),
                "filters[2].config.redis.batch.size", "must be between 1");
    }

    @Test
    void concurrency() {
        RateLimitConfig config = read(Map.of("concurrency", Map.of("max-concurrent", 50)));
        assertThat(config.limits()).isEmpty();
        ConcurrencySpec spec = config.concurrency().orElseThrow();
        assertThat(spec.key()).hasToString("global");
        assertThat(spec.maxConcurrent()).isEqualTo(50);
        assertThat(spec.queue()).isZero();
        assertThat(spec.queueTimeout()).isEqualTo(Duration.ofSeconds(1));

        refused(Map.of("concurrency", Map.of("queue", 5)), "filters[2].config.concurrency.max-concurrent", "required value is missing");
        refused(Map.of("concurrency", Map.of("max-concurrent", 0)), "filters[2].config.concurrency.max-concurrent", "must be between 1");
        refused(Map.of("concurrency", Map.of("max-concurrent", 1, "queue-timeout", "0s")),
                "filters[2].config.concurrency.queue-timeout", "must be positive");
        refused(Map.of("concurrency", Map.of("max-concurrent", 1), "store", "redis", "redis", Map.of("uri", "redis://a")),
                "filters[2].config.store", "needs rate limits");
    }

    @Test
    void adaptiveConcurrency() {
        ConcurrencySpec spec = read(Map.of("concurrency", Map.of("max-concurrent", 20, "adaptive", Map.of("latency", "250ms"))))
                .concurrency().orElseThrow();
        assertThat(spec.adaptive()).contains(new ConcurrencySpec.Adaptive(1, 1000, Duration.ofMillis(250), 10));

        refused(Map.of("concurrency", Map.of("max-concurrent", 20, "adaptive", Map.of("min", 2))),
                "filters[2].config.concurrency.adaptive.latency", "required value is missing");
        refused(Map.of("concurrency", Map.of("key", "route", "max-concurrent", 20, "adaptive", Map.of("latency", "1s"))),
                "filters[2].config.concurrency.adaptive", "one per filter entry");
        refused(Map.of("concurrency", Map.of("max-concurrent", 20, "adaptive", Map.of("latency", "1s", "min", 30))),
                "filters[2].config.concurrency.adaptive.min", "must be between 1 and 20");
        refused(Map.of("concurrency", Map.of("max-concurrent", 20, "adaptive", Map.of("latency", "1s", "decrease-percent", 100))),
                "filters[2].config.concurrency.adaptive.decrease-percent", "below 100");
    }
}
