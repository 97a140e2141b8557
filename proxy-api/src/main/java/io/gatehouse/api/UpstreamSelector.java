package io.gatehouse.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Chooses the upstream of each attempt of an exchange and hears how the attempt went. A load
 * balancer hands one to the core with {@link Exchange#setUpstreamSelector}; the core asks it
 * once per attempt, so a retry can reach another endpoint.
 *
 * <p>Threading: called on the exchange's I/O thread, under the exchange's lock, one exchange at
 * a time (a selector instance serves one exchange; shared state across exchanges must be
 * thread-safe). Must be quick and must not block.
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
     * Reports that the attempt to {@code upstream} has its connection (pooled or new) and its
     * request is going out: until then it was pending, for circuit breakers that cap pending
     * requests.
     *
     * @param upstream the upstream that {@link #select} returned
     */
    default void onConnected(Upstream upstream) {
    }

    /**
     * Reports how an attempt ended, for passive health checks and latency estimates.
     *
     * @param upstream the upstream that {@link #select} returned
     * @param result what happened
     */
    default void onAttemptResult(Upstream upstream, AttemptResult result) {
    }

    /**
     * Decides whether the attempt that just ended is retried, and after how long; the next
     * attempt asks {@link #select} again, so it can go to another upstream. The core asks only
     * when a retry is safe: nothing of the response has reached the client, and the request can
     * be sent again (it never left the proxy, or its method is idempotent and its body, if any, is
     * held whole for replay, see {@link #replayBufferSize}). Called after {@link #onAttemptResult}.
     *
     * @param exchange the exchange
     * @param attempt the attempt that ended: 1 for the first
     * @param result how it ended; for {@link AttemptResult.Kind#RESPONSE} the response is
     *     discarded when a retry is chosen
     * @return the delay before the next attempt, or empty to keep this result
     */
    default Optional<Duration> retry(Exchange exchange, int attempt, AttemptResult result) {
        return Optional.empty();
    }

    /**
     * Agrees to the one retry the server makes on its own: the attempt failed on a pooled
     * connection the origin had closed while idle ({@link AttemptResult#staleConnection()}), before
     * any response byte, and the request can be sent again. That is not the upstream's failure,
     * and it is retried at once (the next attempt asks {@link #select} as usual). A selector with
     * a retry budget charges the retry here, or refuses it (the client then gets 502). Never asked
     * after a timeout: a silent origin is answered 504, unless {@link #retry} asks for a retry on
     * timeouts. Called after {@link #onAttemptResult}.
     *
     * @param exchange the exchange
     * @param attempt the attempt that failed: 1 for the first
     * @return whether to retry; the default agrees
     * @since 0.2
     */
    default boolean retryStaleConnection(Exchange exchange, int attempt) {
        return true;
    }

    /**
     * How many request-body bytes the core keeps so that a retry can send the body again. A body
     * longer than this is streamed without a copy, and its exchange is not retried once the
     * request left the proxy.
     *
     * @return a byte count, 0 (the default) for none
     */
    default int replayBufferSize() {
        return 0;
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
