package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.AttemptResult;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A cluster's {@code retries}: how many more attempts a request may get, on which failures, with
 * which back-off, how much body may be kept for replay, and the budget that keeps retries from
 * multiplying the load on a struggling cluster.
 *
 * @param attempts retries per request after the first attempt (0: none)
 * @param on what is retried ({@code retry-on}): {@code connect-failure}, {@code reset}, {@code timeout}, and status codes
 * @param budgetPercent retries in flight may be at most this share of the cluster's active requests...
 * @param minRetries ...or this many, whichever is larger
 * @param backoff the first retry waits up to this long (jittered: between half and all of it)
 * @param maxBackoff the longest wait; each further retry doubles it up to here
 * @param replayBody request-body bytes kept so that a retry can send the body again
 */
record RetryPolicy(int attempts, Set<String> on, double budgetPercent, int minRetries, Duration backoff, Duration maxBackoff,
                   int replayBody) {

    static final RetryPolicy DEFAULT = new RetryPolicy(1, Set.of("connect-failure", "reset"), 20, 3,
            Duration.ofMillis(25), Duration.ofMillis(250), 0);

    RetryPolicy {
        on = Set.copyOf(on);
    }

    /** @return whether an attempt that ended with {@code result} may be retried */
    boolean covers(AttemptResult result) {
        return switch (result.kind()) {
            case CONNECT_FAILURE -> on.contains("connect-failure");
            case RESET -> on.contains("reset");
            case TIMEOUT -> on.contains("timeout");
            case RESPONSE -> on.contains(Integer.toString(result.status()));
        };
    }

    /** @return the jittered wait before retry number {@code retry} (1 for the first) */
    Duration delay(int retry) {
        long ceiling = Math.min(maxBackoff.toNanos(), backoff.toNanos() << Math.min(20, retry - 1));
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
