package io.gatehouse.plugins.ratelimit.concurrency;

/**
 * A concurrency limit that follows the origin (AIMD, as in Netflix's concurrency-limits): each
 * request that ends is a sample; one that failed (a 502, 503 or 504, a broken exchange) or took
 * longer than the latency target cuts the limit by a share, one that went well while the limit
 * was at least half used raises it by one. The limit stays within its bounds. Thread-safe.
 */
public final class AdaptiveLimit {

    private final int min;
    private final int max;
    private final long latencyNanos;
    private final double keep;
    private double limit;
    private volatile int current;

    /**
     * @param initial the limit at start
     * @param min the lowest limit
     * @param max the highest limit
     * @param latencyNanos the latency above which a request counts as a sign of overload
     * @param decreasePercent how much a bad sample cuts the limit, in percent
     */
    public AdaptiveLimit(int initial, int min, int max, long latencyNanos, double decreasePercent) {
        if (min < 1 || min > initial || initial > max) {
            throw new IllegalArgumentException("expected 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
        }
        this.min = min;
        this.max = max;
        this.latencyNanos = latencyNanos;
        this.keep = 1 - decreasePercent / 100;
        this.limit = initial;
        this.current = initial;
    }

    /** @return the limit now */
    public int current() {
        return current;
    }

    /**
     * @param latencyNanos how long the request was in flight
     * @param failed whether it failed in a way that points at an overloaded origin
     * @param inFlight the requests in flight when it ended, itself included
     */
    public synchronized void sample(long latencyNanos, boolean failed, int inFlight) {
        if (failed || latencyNanos > this.latencyNanos) {
            limit = Math.max(min, limit * keep);
        } else if (inFlight * 2 >= limit) {
            limit = Math.min(max, limit + 1);
        }
        current = (int) limit;
    }

    /** @return for the admin {@code /status} */
    @Override
    public String toString() {
        return "adaptive limit " + current + " (" + min + " to " + max + ", latency target " + latencyNanos / 1_000_000 + "ms)";
    }
}
