package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.plugins.ratelimit.concurrency.AdaptiveLimit;
import io.gatehouse.plugins.ratelimit.concurrency.ConcurrencyLimiter;
import io.gatehouse.plugins.ratelimit.limit.CounterStore;
import io.gatehouse.plugins.ratelimit.limit.LocalStore;
import io.gatehouse.plugins.ratelimit.limit.Ticker;
import io.gatehouse.plugins.ratelimit.redis.BatchingStore;
import io.gatehouse.plugins.ratelimit.redis.RedisSettings;
import io.gatehouse.plugins.ratelimit.redis.RedisStore;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code rate-limit} filter: rate limits per key (client, header, consumer, route or a
 * combination), counted in memory or in Redis shared by many instances, and a cap on requests
 * in flight.
 *
 * <pre>
 * - type: rate-limit
 *   when: { route: public-api }
 *   config: { key: client-ip, rate: 100/s, burst: 200 }
 * </pre>
 */
@Extension
public final class RateLimitFilterFactory implements ProxyFilterFactory<RateLimitConfig> {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitFilterFactory.class);
    private static final long CLEAN_UP_SECONDS = 10;

    @Override
    public String type() {
        return "rate-limit";
    }

    @Override
    public RateLimitConfig parseConfig(PluginConfig config) {
        return ConfigReader.read(config);
    }

    /**
     * Carries state over a reload: an entry whose configuration did not change keeps its running
     * instance, and with it its buckets and concurrency counts.
     */
    @Override
    public ProxyFilter create(RateLimitConfig config, FilterContext context, Optional<ProxyFilter> previous) {
        return previous.orElseGet(() -> create(config, context));
    }

    @Override
    public ProxyFilter create(RateLimitConfig config, FilterContext context) {
        Optional<AdaptiveLimit> adaptive = config.concurrency().flatMap(spec -> spec.adaptive().map(a -> new AdaptiveLimit(
                spec.maxConcurrent(), a.min(), a.max(), a.latency().toNanos(), a.decreasePercent())));
        Optional<ConcurrencyLimiter> concurrency = config.concurrency().map(spec -> adaptive.isPresent()
                ? new ConcurrencyLimiter(adaptive.get()::current, spec.queue(), spec.queueTimeout(), context.scheduler())
                : new ConcurrencyLimiter(spec.maxConcurrent(), spec.queue(), spec.queueTimeout(), context.scheduler()));
        if (config.redis().isPresent()) {
            RedisSettings redis = config.redis().get();
            LOG.info("{}: counters in Redis, timeout {} ms, {}{}", context.instanceName(), redis.timeout().toMillis(),
                    redis.failure().configName(), redis.batching().map(b -> ", pre-aggregated in batches of " + b.size() + " every "
                            + b.interval().toMillis() + " ms").orElse(""));
            CounterStore store = redis.batching().isPresent()
                    ? new BatchingStore(config.specs(), redis, context.instanceName(), context.scheduler(), Ticker.of(context.clock()),
                            config.maxKeys())
                    : new RedisStore(config.specs(), redis, context.instanceName(), context.scheduler());
            return new RateLimitFilter(config, store, concurrency, adaptive, () -> { });
        }
        LocalStore store = new LocalStore(config.specs(), config.maxKeys(), Ticker.of(context.clock()));
        // Expired keys are dropped as traffic comes; this returns their memory when traffic stops too.
        ScheduledFuture<?> cleanUp = context.scheduler().scheduleWithFixedDelay(store::cleanUp, CLEAN_UP_SECONDS,
                CLEAN_UP_SECONDS, TimeUnit.SECONDS);
        return new RateLimitFilter(config, store, concurrency, adaptive, () -> cleanUp.cancel(false));
    }
}
