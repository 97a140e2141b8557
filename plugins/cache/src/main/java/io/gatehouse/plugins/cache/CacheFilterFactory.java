package io.gatehouse.plugins.cache;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.plugins.cache.fanout.FanOut;
import io.gatehouse.plugins.cache.fanout.FanOutSettings;
import io.gatehouse.plugins.cache.fanout.RedisFanOut;
import io.lettuce.core.RedisURI;
import org.pf4j.Extension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code cache} filter: a shared HTTP cache (RFC 9111) in front of the origins.
 *
 * <pre>
 * - type: cache
 *   config: { max-size: 256MiB, max-object-size: 8MiB }
 * </pre>
 */
@Extension
public final class CacheFilterFactory implements ProxyFilterFactory<CacheConfig> {

    @Override
    public String type() {
        return "cache";
    }

    @Override
    public CacheConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(Set.of("max-size", "max-object-size", "max-variants", "heuristic-percent", "heuristic-max", "targeted-fields",
                "strip-fields", "key", "coalesce-wait", "purge-token", "fan-out"));
        long maxSize = config.getSize("max-size", 256L * 1024 * 1024, 1, Long.MAX_VALUE);
        long maxObject = config.getSize("max-object-size", 8L * 1024 * 1024, 1, Integer.MAX_VALUE - 8);
        if (maxObject > maxSize) {
            throw new ConfigException(config.path("max-object-size"), "must be at most max-size");
        }
        int maxVariants = config.getInt("max-variants", 16, 1, 1024);
        double heuristic = config.getPercent("heuristic-percent", 10);
        Duration heuristicMax = config.getDuration("heuristic-max", Duration.ofDays(1));
        List<String> targeted = config.has("targeted-fields") ? config.getStringList("targeted-fields")
                : List.of("Gatehouse-Cache-Control", "CDN-Cache-Control");
        List<String> strip = config.has("strip-fields") ? config.getStringList("strip-fields") : List.of("Gatehouse-Cache-Control");
        Duration coalesce = config.getDuration("coalesce-wait", Duration.ofSeconds(5));
        if (coalesce.isNegative()) {
            throw new ConfigException(config.path("coalesce-wait"), "must not be negative");
        }
        Optional<String> token = config.findString("purge-token");
        if (token.isPresent() && token.get().length() < 16) {
            throw new ConfigException(config.path("purge-token"), "must be at least 16 characters");
        }
        PluginConfig key = config.getSection("key");
        key.requireKnownKeys(Set.of("sort-query", "ignore-query", "headers"));
        return new CacheConfig(maxSize, maxObject, maxVariants, heuristic, heuristicMax, targeted, strip,
                new CacheKey(key.getBoolean("sort-query", false), new HashSet<>(key.getStringList("ignore-query")),
                        key.getStringList("headers")), coalesce, token, fanOut(config));
    }

    /** {@code fan-out: { redis: URI, channel: NAME, token: SECRET }}: invalidations shared through Redis pub/sub. */
    private static Optional<FanOutSettings> fanOut(PluginConfig config) {
        if (!config.has("fan-out")) {
            return Optional.empty();
        }
        PluginConfig fanOut = config.getSection("fan-out");
        fanOut.requireKnownKeys(Set.of("redis", "channel", "token"));
        String uri = fanOut.getString("redis");
        try {
            RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new ConfigException(fanOut.path("redis"), "not a Redis URI (redis://HOST:PORT, rediss://..., redis-sentinel://...): " + e.getMessage());
        }
        String channel = fanOut.getString("channel", FanOutSettings.DEFAULT_CHANNEL);
        if (channel.isBlank()) {
            throw new ConfigException(fanOut.path("channel"), "must not be blank");
        }
        String secret = fanOut.getString("token");
        if (secret.length() < 16) {
            throw new ConfigException(fanOut.path("token"), "must be at least 16 characters (it signs the invalidations)");
        }
        return Optional.of(new FanOutSettings(uri, channel, secret));
    }

    /**
     * Carries state over a reload: an entry whose configuration did not change keeps its running
     * instance, and with it the cached entries.
     */
    @Override
    public ProxyFilter create(CacheConfig config, FilterContext context, Optional<ProxyFilter> previous) {
        return previous.orElseGet(() -> create(config, context));
    }

    @Override
    public ProxyFilter create(CacheConfig config, FilterContext context) {
        if (config.fanOut().isEmpty()) {
            return new CacheFilter(config, context.clock(), context.blockingExecutor(), applyHere -> FanOut.NONE, context.metrics());
        }
        return new CacheFilter(config, context.clock(), context.blockingExecutor(),
                applyHere -> new RedisFanOut(config.fanOut().get(), applyHere, context.blockingExecutor(), context.scheduler(),
                        context.instanceName()), context.metrics());
    }
}
