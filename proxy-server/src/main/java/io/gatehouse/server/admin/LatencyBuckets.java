package io.gatehouse.server.admin;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * The cumulative counts of a latency histogram at one moment: for each bucket's upper bound (in
 * seconds), how many values were at most that; plus the count and sum of all values. Two
 * readings give the histogram of the time between them ({@link #minus}), from which
 * percentiles are estimated by linear interpolation inside the bucket that holds them, as
 * Prometheus' {@code histogram_quantile} does. Immutable.
 */
final class LatencyBuckets {

    static final LatencyBuckets EMPTY = new LatencyBuckets(new double[0], new long[0], 0, 0);

    private final double[] bounds;
    private final long[] atMost;
    private final long count;
    private final double sumSeconds;

    /**
     * @param bounds bucket upper bounds in seconds, ascending
     * @param atMost for each bound, how many values were at most that (non-decreasing)
     * @param count how many values in all (values above the last bound included)
     * @param sumSeconds their sum
     */
    LatencyBuckets(double[] bounds, long[] atMost, long count, double sumSeconds) {
        if (bounds.length != atMost.length) {
            throw new IllegalArgumentException("one count per bound: " + bounds.length + " bounds, " + atMost.length + " counts");
        }
        this.bounds = bounds.clone();
        this.atMost = atMost.clone();
        this.count = count;
        this.sumSeconds = sumSeconds;
    }

    /** @return the snapshot's buckets (Micrometer's counts of a cumulative histogram are already "at most") */
    static LatencyBuckets of(HistogramSnapshot snapshot) {
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double[] bounds = new double[buckets.length];
        long[] atMost = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = buckets[i].bucket(TimeUnit.SECONDS);
            atMost[i] = (long) buckets[i].count();
        }
        return new LatencyBuckets(bounds, atMost, snapshot.count(), snapshot.total(TimeUnit.SECONDS));
    }

    long count() {
        return count;
    }

    /** @return the sum of both, bucket by bucket; histograms with other bounds add only their count and sum */
    LatencyBuckets plus(LatencyBuckets other) {
        if (bounds.length == 0 && count == 0) {
            return other;
        }
        if (other.bounds.length == 0 && other.count == 0) {
            return this;
        }
        long[] sum = atMost.clone();
        if (Arrays.equals(bounds, other.bounds)) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.atMost[i];
            }
        }
        return new LatencyBuckets(bounds, sum, count + other.count, sumSeconds + other.sumSeconds);
    }

    /**
     * @param earlier a reading of the same histogram taken before this one
     * @return the values recorded between the two readings
     */
    LatencyBuckets minus(LatencyBuckets earlier) {
        if (!Arrays.equals(bounds, earlier.bounds)) {
            return this; // a histogram that appeared since: everything it holds is new
        }
        long[] diff = new long[atMost.length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = Math.max(0, atMost[i] - earlier.atMost[i]);
        }
        return new LatencyBuckets(bounds, diff, Math.max(0, count - earlier.count), Math.max(0, sumSeconds - earlier.sumSeconds));
    }

    /** @return the mean in seconds; empty without values */
    OptionalDouble mean() {
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sumSeconds / count);
    }

    /**
     * @param quantile between 0 and 1, e.g. 0.95
     * @return the estimated value in seconds below which that share of the values lie; the last
     *     bound when it lies beyond it; empty without values or buckets
     */
    OptionalDouble quantile(double quantile) {
        if (count == 0 || bounds.length == 0) {
            return OptionalDouble.empty();
        }
        double rank = quantile * count;
        long below = 0;
        double lower = 0;
        for (int i = 0; i < bounds.length; i++) {
            if (atMost[i] >= rank && atMost[i] > below) {
                double fraction = (rank - below) / (atMost[i] - below);
                return OptionalDouble.of(lower + Math.max(0, fraction) * (bounds[i] - lower));
            }
            below = atMost[i];
            lower = bounds[i];
        }
        return OptionalDouble.of(bounds[bounds.length - 1]);
    }
}
