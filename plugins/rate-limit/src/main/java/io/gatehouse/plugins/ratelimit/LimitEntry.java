package io.gatehouse.plugins.ratelimit;

import io.gatehouse.plugins.ratelimit.limit.LimitSpec;

/**
 * One configured rate limit with what it counts by. Immutable.
 *
 * @param key what the limit counts by
 * @param spec the limit
 */
record LimitEntry(KeySpec key, LimitSpec spec) {
}
