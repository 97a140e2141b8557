package io.gatehouse.plugins.ratelimit;

import java.time.Duration;

/**
 * The {@code concurrency:} section: a cap on the requests in flight. Immutable.
 *
 * @param key what the cap counts by ({@code global} by default: all requests the filter sees)
 * @param maxConcurrent the requests in flight per key
 * @param queue the requests that may wait per key when all slots are taken (0: refuse at once)
 * @param queueTimeout how long a request may wait for a slot
 * @param retryAfter the {@code Retry-After} of a refusal
 */
record ConcurrencySpec(KeySpec key, int maxConcurrent, int queue, Duration queueTimeout, Duration retryAfter) {
}
