package io.gatehouse.plugins.ratelimit.redis;

import io.gatehouse.plugins.ratelimit.limit.LimitSpec;

import java.util.List;

/**
 * The Redis key of each limit's counter: {@code PREFIX:FILTER:LIMIT:KEY}, e.g.
 * {@code gatehouse:rl:api-limits:per-consumer:alice}. Instances share a counter when their
 * filter and limit names agree. In a cluster with several limits per filter, the part
 * {@code PREFIX:FILTER} is a hash tag, so that one script can reach all the keys of a request
 * (they live in one slot, so on one shard). Immutable.
 */
final class RedisKeys {

    private final String[] prefixes;

    RedisKeys(String prefix, String filter, List<LimitSpec> limits, boolean cluster) {
        boolean tagged = cluster && limits.size() > 1;
        String head = tagged ? "{" + prefix + ":" + filter + "}" : prefix + ":" + filter;
        prefixes = new String[limits.size()];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = head + ":" + limits.get(i).name() + ":";
        }
    }

    /**
     * @param limit the limit's index
     * @param key the request's key for it
     * @return the Redis key
     */
    String key(int limit, String key) {
        return prefixes[limit].concat(key);
    }
}
