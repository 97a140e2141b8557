package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.plugins.ratelimit.limit.Algorithm;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Rate;
import io.gatehouse.plugins.ratelimit.redis.FailurePolicy;
import io.gatehouse.plugins.ratelimit.redis.RedisSettings;
import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a {@code rate-limit} entry's {@code config:} once, at start-up; every
 * error names its key.
 */
final class ConfigReader {

    private static final List<String> LIMIT_KEYS = List.of("name", "key", "rate", "burst", "algorithm");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}");
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(1);

    /** Where the counters live. */
    private enum Store { LOCAL, REDIS }

    private ConfigReader() {
    }

    static RateLimitConfig read(PluginConfig config) {
        Set<String> known = new HashSet<>(LIMIT_KEYS);
        known.addAll(Set.of("limits", "max-keys", "headers-on-allowed", "store", "redis", "concurrency"));
        config.requireKnownKeys(known);
        List<LimitEntry> limits = limits(config);
        Optional<ConcurrencySpec> concurrency = config.has("concurrency")
                ? Optional.of(concurrency(config.getSection("concurrency"))) : Optional.empty();
        if (limits.isEmpty() && concurrency.isEmpty()) {
            throw new ConfigException(config.path("rate"), "required value is missing: give key and rate (one limit), "
                    + "limits (several), or concurrency");
        }
        int maxKeys = config.getInt("max-keys", 100_000, 1, 100_000_000);
        boolean headersOnAllowed = config.getBoolean("headers-on-allowed", false);
        Store store = config.getEnum("store", Store.class, Store.LOCAL);
        Optional<RedisSettings> redis = Optional.empty();
        if (store == Store.REDIS) {
            if (!config.has("redis")) {
                throw new ConfigException(config.path("redis"), "required with store: redis (at least redis.uri)");
            }
            if (limits.isEmpty()) {
                throw new ConfigException(config.path("store"), "store: redis needs rate limits (concurrency is always local)");
            }
            redis = Optional.of(redis(config.getSection("redis")));
        } else if (config.has("redis")) {
            throw new ConfigException(config.path("redis"), "only with store: redis");
        }
        return new RateLimitConfig(limits, maxKeys, headersOnAllowed, redis, concurrency);
    }

    private static List<LimitEntry> limits(PluginConfig config) {
        List<LimitEntry> limits = new ArrayList<>();
        if (config.has("limits")) {
            for (String key : LIMIT_KEYS) {
                if (config.has(key)) {
                    throw new ConfigException(config.path(key), "give either limits, or one limit's key, rate, burst, "
                            + "algorithm and name, not both");
                }
            }
            List<PluginConfig> sections = config.getSectionList("limits");
            if (sections.isEmpty()) {
                throw new ConfigException(config.path("limits"), "at least one limit is required");
            }
            for (PluginConfig section : sections) {
                section.requireKnownKeys(Set.copyOf(LIMIT_KEYS));
                limits.add(limit(section));
            }
        } else if (config.has("rate") || config.has("key")) {
            limits.add(limit(config));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < limits.size(); i++) {
            if (!names.add(limits.get(i).spec().name())) {
                String where = config.has("limits") ? config.path("limits") + "[" + i + "].name" : config.path("name");
                throw new ConfigException(where, "two limits are named \"" + limits.get(i).spec().name()
                        + "\": give each limit its own name");
            }
        }
        return limits;
    }

    private static LimitEntry limit(PluginConfig c) {
        KeySpec key = KeySpec.from(c, "key");
        Rate rate;
        try {
            rate = Rate.parse(c.getString("rate"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.path("rate"), e.getMessage());
        }
        Algorithm algorithm = c.getEnum("algorithm", Algorithm.class, Algorithm.TOKEN_BUCKET);
        if (algorithm == Algorithm.SLIDING_WINDOW && c.has("burst")) {
            throw new ConfigException(c.path("burst"), "not with the sliding window, which admits the rate's count per period");
        }
        int burst = c.getInt("burst", (int) rate.count(), 1, (int) Rate.MAX_COUNT);
        String name = c.getString("name", key.toString());
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(c.path(c.has("name") ? "name" : "key"), "a limit's name must be 1-64 letters, digits and "
                    + "._:+- (it appears in the RateLimit headers and the Redis keys), got \"" + name + "\"");
        }
        return new LimitEntry(key, new LimitSpec(name, rate, burst, algorithm));
    }

    private static RedisSettings redis(PluginConfig c) {
        c.requireKnownKeys(Set.of("uri", "cluster", "timeout", "failure", "key-prefix", "connect-timeout", "batch"));
        boolean cluster = c.getBoolean("cluster", false);
        List<String> uris = c.getStringList("uri");
        if (uris.isEmpty()) {
            throw new ConfigException(c.path("uri"), "required value is missing (such as redis://127.0.0.1:6379)");
        }
        if (uris.size() > 1 && !cluster) {
            throw new ConfigException(c.path("uri"), "one URI, unless cluster: true (then its seed nodes)");
        }
        for (int i = 0; i < uris.size(); i++) {
            try {
                RedisURI.create(uris.get(i));
            } catch (RuntimeException e) {
                throw new ConfigException(uris.size() == 1 ? c.path("uri") : c.path("uri") + "[" + i + "]",
                        "not a Redis URI (redis://HOST:PORT, rediss://..., redis-sentinel://HOST:PORT/?sentinelMasterId=NAME): " + e.getMessage());
            }
        }
        Duration timeout = c.getPositiveDuration("timeout", Duration.ofMillis(5));
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new ConfigException(c.path("timeout"), "must be at most 1s (the request waits for Redis that long), got \""
                    + c.getString("timeout") + "\"");
        }
        Optional<RedisSettings.Batching> batching = Optional.empty();
        if (c.has("batch")) {
            PluginConfig b = c.getSection("batch");
            b.requireKnownKeys(Set.of("size", "interval"));
            batching = Optional.of(new RedisSettings.Batching(b.getInt("size", 20, 1, 100_000),
                    b.getPositiveDuration("interval", Duration.ofMillis(50))));
        }
        return new RedisSettings(uris, cluster, timeout, c.getEnum("failure", FailurePolicy.class, FailurePolicy.FAIL_OPEN),
                c.getString("key-prefix", "gatehouse:rl"), c.getPositiveDuration("connect-timeout", Duration.ofSeconds(1)), batching);
    }

    private static ConcurrencySpec concurrency(PluginConfig c) {
        c.requireKnownKeys(Set.of("key", "max-concurrent", "queue", "queue-timeout", "retry-after", "adaptive"));
        KeySpec key = c.has("key") ? KeySpec.from(c, "key") : KeySpec.parse("global");
        if (!c.has("max-concurrent")) {
            throw new ConfigException(c.path("max-concurrent"), "required value is missing");
        }
        int max = c.getInt("max-concurrent", 1, 1, 1_000_000);
        Optional<ConcurrencySpec.Adaptive> adaptive = Optional.empty();
        if (c.has("adaptive")) {
            if (!key.toString().equals("global")) {
                throw new ConfigException(c.path("adaptive"), "an adaptive limit is one per filter entry (key: global): "
                        + "give each upstream its own entry, with when: { route: ... }");
            }
            PluginConfig a = c.getSection("adaptive");
            a.requireKnownKeys(Set.of("min", "max", "latency", "decrease-percent"));
            int min = a.getInt("min", 1, 1, max);
            int most = a.getInt("max", Math.max(max, 1000), max, 1_000_000);
            Duration latency = a.findPositiveDuration("latency")
                    .orElseThrow(() -> new ConfigException(a.path("latency"), "required value is missing (the latency target, such as 250ms)"));
            double decrease = a.getPercent("decrease-percent", 10);
            if (decrease <= 0 || decrease >= 100) {
                throw new ConfigException(a.path("decrease-percent"), "must be above 0 and below 100, got " + decrease);
            }
            adaptive = Optional.of(new ConcurrencySpec.Adaptive(min, most, latency, decrease));
        }
        return new ConcurrencySpec(key, max, c.getInt("queue", 0, 0, 100_000),
                c.getPositiveDuration("queue-timeout", Duration.ofSeconds(1)), c.getPositiveDuration("retry-after", Duration.ofSeconds(1)),
                adaptive);
    }
}
