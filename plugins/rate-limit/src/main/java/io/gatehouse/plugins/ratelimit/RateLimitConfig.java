package io.gatehouse.plugins.ratelimit;

import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.redis.RedisSettings;

import java.util.List;
import java.util.Optional;

/**
 * The {@code rate-limit} filter's configuration, validated. Immutable.
 *
 * @param limits the rate limits, in config order (may be empty when only {@code concurrency} is set)
 * @param maxKeys the most keys held in memory per limit
 * @param headersOnAllowed whether admitted responses also carry {@code RateLimit-Policy} and {@code RateLimit}
 * @param redis the Redis store, when the counters are shared; local counters otherwise
 * @param concurrency the cap on requests in flight, if any
 */
record RateLimitConfig(List<LimitEntry> limits, long maxKeys, boolean headersOnAllowed, Optional<RedisSettings> redis,
                       Optional<ConcurrencySpec> concurrency) {

    RateLimitConfig {
        limits = List.copyOf(limits);
    }

    /** @return the limits without their keys */
    List<LimitSpec> specs() {
        return limits.stream().map(LimitEntry::spec).toList();
    }
}
