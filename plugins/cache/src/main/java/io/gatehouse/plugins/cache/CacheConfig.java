package io.gatehouse.plugins.cache;

import java.time.Duration;
import java.util.List;

/**
 * The {@code cache} filter's configuration.
 *
 * @param maxSize the byte budget of the store
 * @param maxObjectSize the largest body stored
 * @param maxVariants the most variants (Vary values, schemes, forwarded hosts, routes) kept per URI
 * @param heuristicPercent share of the time since Last-Modified used as a heuristic lifetime (0: none)
 * @param heuristicMax the longest heuristic lifetime
 * @param targetedFields fields that, when present, replace Cache-Control for this cache (RFC 9213), first found wins
 * @param stripFields response fields removed before the response goes on (this cache's own targeted field)
 * @param key how the primary key is built
 * @param coalesceWait how long a miss waits for a concurrent miss of the same key (0: no coalescing)
 * @param purgeToken the token a {@code PURGE} request must carry, empty when purging is off
 * @param fanOut where invalidations are shared with other instances, empty when they are not
 */
record CacheConfig(long maxSize, long maxObjectSize, int maxVariants, double heuristicPercent, Duration heuristicMax, List<String> targetedFields,
                   List<String> stripFields, CacheKey key, Duration coalesceWait, java.util.Optional<String> purgeToken,
                   java.util.Optional<io.gatehouse.plugins.cache.fanout.FanOutSettings> fanOut) {

    CacheConfig {
        targetedFields = List.copyOf(targetedFields);
        stripFields = List.copyOf(stripFields);
    }
}
