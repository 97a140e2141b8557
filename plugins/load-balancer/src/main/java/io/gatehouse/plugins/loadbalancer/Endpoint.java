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
    private volatile long ejectedUntilNanos;
    private volatile boolean ejected;

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
        if (ejected && nowNanos - ejectedUntilNanos >= 0) {
            ejected = false; // the ejection has run out: back in rotation
        }
        return healthy && !ejected;
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
     * capped at {@code max}).
     *
     * @return the ejection's duration
     */
    long eject(long nowNanos, long baseNanos, long maxNanos) {
        int n = ejections.incrementAndGet();
        long duration = Math.min(maxNanos, baseNanos * n);
        ejectedUntilNanos = nowNanos + duration;
        ejected = true;
        consecutiveErrors.set(0);
        return duration;
    }

    /** @return whether an ejection is in force (it may have just run out) */
    boolean isEjected(long nowNanos) {
        return ejected && nowNanos - ejectedUntilNanos < 0;
    }

    int ejections() {
        return ejections.get();
    }

    @Override
    public String toString() {
        return upstream.toString();
    }
}
