package io.gatehouse.api;

import java.util.Optional;

/**
 * Chooses the upstream of each attempt of an exchange and hears how the attempt went. A load
 * balancer hands one to the core with {@link Exchange#setUpstreamSelector}; the core asks it
 * once per attempt, so a retry can reach another endpoint.
 *
 * <p>Called on I/O threads: must not block.
 *
 * @since 0.1
 */
public interface UpstreamSelector {

    /**
     * Chooses the upstream of one attempt.
     *
     * @param exchange the exchange
     * @param attempt 1 for the first attempt, 2 for the first retry, ...
     * @return the upstream, or empty when none is available (the client gets 503)
     */
    Optional<Upstream> select(Exchange exchange, int attempt);

    /**
     * Reports how an attempt ended, for passive health checks and latency estimates.
     *
     * @param upstream the upstream that {@link #select} returned
     * @param result what happened
     */
    default void onAttemptResult(Upstream upstream, AttemptResult result) {
    }

    /**
     * A selector that always returns the same upstream.
     *
     * @param upstream the upstream
     * @return the selector
     */
    static UpstreamSelector fixed(Upstream upstream) {
        Optional<Upstream> choice = Optional.of(upstream);
        return (exchange, attempt) -> choice;
    }
}
