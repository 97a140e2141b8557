package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One server of a cluster and everything the balancer knows about it: its weight, requests in
 * flight, latency estimate, active health-check verdict and passive (outlier) ejection. All
 * state is atomic, so the request path reads and updates it without locks.
 */
final class Endpoint {

    private final Upstream upstream;
    private final int weight;
    private final int index;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Peak-EWMA latency in nanoseconds, as double bits; 0 until the first sample. */
    private final AtomicLong ewmaBits = new AtomicLong();
    private final AtomicLong ewmaStamp = new AtomicLong();
    private volatile boolean healthy = true;
    private final AtomicInteger probeSuccesses = new AtomicInteger();
    private final AtomicInteger probeFailures = new AtomicInteger();
    private final AtomicInteger consecutiveErrors = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    /** When the current ejection ends ({@link System#nanoTime()}); 0: not ejected. Ended only by the cluster. */
    private final AtomicLong ejectedUntil = new AtomicLong();

    Endpoint(Upstream upstream, int weight, int index) {
        this.upstream = upstream;
        this.weight = weight;
        this.index = index;
    }

    Upstream upstream() {
        return upstream;
    }

    int weight() {
        return weight;
    }

    /** @return position in the cluster's endpoint list */
    int index() {
        return index;
    }

    int inFlight() {
        return inFlight.get();
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestEnded() {
        inFlight.decrementAndGet();
    }

    /**
     * @param nowNanos the current time
     * @return whether requests may go here: healthy by the active checks and not ejected
     */
    boolean isAvailable(long nowNanos) {
        return healthy && !isEjected(nowNanos);
    }

    // ------------------------------------------------------------ latency (peak EWMA)

    /**
     * Folds one latency sample into the estimate: a higher sample replaces it at once (peak), a
     * lower one decays it with time constant {@code decayNanos}.
     */
    void recordLatency(long sampleNanos, long nowNanos, long decayNanos) {
        while (true) {
            long bits = ewmaBits.get();
            double current = Double.longBitsToDouble(bits);
            long last = ewmaStamp.get();
            double next;
            if (bits == 0 || sampleNanos > current) {
                next = sampleNanos;
            } else {
                double w = Math.exp(-Math.max(0, nowNanos - last) / (double) decayNanos);
                next = current * w + sampleNanos * (1 - w);
            }
            if (ewmaBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                ewmaStamp.set(nowNanos);
                return;
            }
        }
    }

    /** @return the latency estimate in nanoseconds, 0 when nothing was measured yet */
    double latencyNanos() {
        return Double.longBitsToDouble(ewmaBits.get());
    }

    // ------------------------------------------------------------ active health checks

    /**
     * @return whether the verdict changed
     */
    boolean probeSucceeded(int healthyThreshold) {
        probeFailures.set(0);
        if (!healthy && probeSuccesses.incrementAndGet() >= healthyThreshold) {
            healthy = true;
            probeSuccesses.set(0);
            return true;
        }
        return false;
    }

    /**
     * @return whether the verdict changed
     */
    boolean probeFailed(int unhealthyThreshold) {
        probeSuccesses.set(0);
        if (healthy && probeFailures.incrementAndGet() >= unhealthyThreshold) {
            healthy = false;
            probeFailures.set(0);
            return true;
        }
        return false;
    }

    boolean isHealthy() {
        return healthy;
    }

    // ------------------------------------------------------------ passive health (outlier detection)

    /** @return consecutive errors so far, this one included */
    int recordError() {
        return consecutiveErrors.incrementAndGet();
    }

    void recordSuccess() {
        consecutiveErrors.set(0);
    }

    /**
     * Takes the endpoint out of rotation for {@code base × n} (n = how many times it was ejected,
     * capped at {@code max}), unless it holds an ejection already (one that has run out too:
     * {@link #endEjection} first).
     *
     * @return the ejection's duration, or 0 when another ejection holds
     */
    long tryEject(long nowNanos, long baseNanos, long maxNanos) {
        int n = ejections.get() + 1;
        long duration = Math.min(maxNanos, baseNanos * n);
        long until = nowNanos + duration;
        if (!ejectedUntil.compareAndSet(0, until == 0 ? 1 : until)) {
            return 0;
        }
        ejections.incrementAndGet();
        consecutiveErrors.set(0);
        return duration;
    }

    /**
     * Ends an ejection that has run out, so that its share of the cluster's ejection budget is
     * free again.
     *
     * @return whether this call ended it (at most one caller does)
     */
    boolean endEjection(long nowNanos) {
        long until = ejectedUntil.get();
        return until != 0 && nowNanos - until >= 0 && ejectedUntil.compareAndSet(until, 0);
    }

    /**
     * Ends the endpoint's ejection now, whether or not it has run out (its active health check
     * passed: Envoy's {@code successful_active_health_check_uneject_host}).
     *
     * @return whether an ejection was held (at most one caller ends it)
     */
    boolean endEjectionNow() {
        long until = ejectedUntil.get();
        return until != 0 && ejectedUntil.compareAndSet(until, 0);
    }

    /** @return whether an ejection is in force at {@code nowNanos}; reads only */
    boolean isEjected(long nowNanos) {
        long until = ejectedUntil.get();
        return until != 0 && nowNanos - until < 0;
    }

    int ejections() {
        return ejections.get();
    }

    @Override
    public String toString() {
        return upstream.toString();
    }
}
