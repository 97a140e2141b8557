package io.gatehouse.plugins.ratelimit.limit;

/**
 * One configured rate limit, without its key: immutable and validated.
 *
 * @param name the policy name, shown in {@code RateLimit-Policy} and part of the Redis key
 * @param rate the sustained rate
 * @param burst the most requests admitted at once (token bucket and GCRA; the rate's count for the sliding window)
 * @param algorithm how it counts
 */
public record LimitSpec(String name, Rate rate, long burst, Algorithm algorithm) {

    public LimitSpec {
        if (burst < 1 || burst > Rate.MAX_COUNT) {
            throw new IllegalArgumentException("burst must be between 1 and " + Rate.MAX_COUNT + ", got " + burst);
        }
    }

    /**
     * @return how long a key must stay unused before its state equals a fresh key's: the time
     *     a full refill takes (token bucket, GCRA) or two windows (sliding window)
     */
    public long idleNanos() {
        if (algorithm == Algorithm.SLIDING_WINDOW) {
            return 2 * rate.periodNanos();
        }
        double fill = (double) burst * rate.periodNanos() / rate.count();
        return (long) Math.min(Long.MAX_VALUE / 4, Math.ceil(fill));
    }

    /** @return the quota a client sees: the burst for the bucket algorithms, else the rate's count */
    public long quota() {
        return algorithm == Algorithm.SLIDING_WINDOW ? rate.count() : burst;
    }
}
