package io.gatehouse.plugins.ratelimit.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code redis:} section of a {@code rate-limit} filter, validated. Immutable.
 *
 * @param uris Redis URIs as Lettuce reads them ({@code redis://}, {@code rediss://},
 *     {@code redis-sentinel://}, {@code redis-socket://}); several only for a cluster (its seed nodes)
 * @param cluster whether the URIs are Redis Cluster nodes
 * @param timeout how long a decision may wait for Redis before the failure policy answers
 * @param failure the failure policy
 * @param keyPrefix the first part of every key
 * @param connectTimeout how long one connection attempt may take
 * @param batching pre-aggregation of increments, if enabled
 */
public record RedisSettings(List<String> uris, boolean cluster, Duration timeout, FailurePolicy failure, String keyPrefix,
                            Duration connectTimeout, Optional<Batching> batching) {

    public RedisSettings {
        uris = List.copyOf(uris);
    }

    /**
     * Local pre-aggregation: decisions are taken in memory against the last state Redis
     * reported, and the admitted requests are sent to Redis in batches.
     *
     * @param size a key's admitted requests that trigger a flush at once
     * @param interval the longest time admitted requests wait before they are flushed
     */
    public record Batching(int size, Duration interval) {
    }
}
