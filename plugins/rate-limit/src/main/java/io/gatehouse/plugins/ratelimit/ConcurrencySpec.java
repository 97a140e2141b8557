package io.gatehouse.plugins.ratelimit;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code concurrency:} section: a cap on the requests in flight. Immutable.
 *
 * @param key what the cap counts by ({@code global} by default: all requests the filter sees)
 * @param maxConcurrent the requests in flight per key
 * @param queue the requests that may wait per key when all slots are taken (0: refuse at once)
 * @param queueTimeout how long a request may wait for a slot
 * @param retryAfter the {@code Retry-After} of a refusal
 * @param adaptive the bounds of an adaptive limit, which starts at {@code maxConcurrent}; empty for a fixed one
 */
record ConcurrencySpec(KeySpec key, int maxConcurrent, int queue, Duration queueTimeout, Duration retryAfter,
                       Optional<Adaptive> adaptive) {

    /**
     * An AIMD limit ({@code concurrency.adaptive}).
     *
     * @param min the lowest limit
     * @param max the highest limit
     * @param latency the latency above which a request counts as a sign of overload
     * @param decreasePercent how much such a request cuts the limit
     */
    record Adaptive(int min, int max, Duration latency, double decreasePercent) {
    }
}
