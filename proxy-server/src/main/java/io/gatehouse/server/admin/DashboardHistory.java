package io.gatehouse.server.admin;

import io.gatehouse.server.admin.DashboardReading.Pair;
import io.gatehouse.server.admin.DashboardReading.PairCounts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the dashboard remembers: one {@link Point} per pair of consecutive readings for the last
 * {@code points} intervals (the charts), and the last {@code window + 1} readings themselves
 * (the tables' rates, shares and percentiles over the last few intervals). Bounded whatever the
 * traffic. Thread-safe: the sampler adds, the admin listener reads.
 */
final class DashboardHistory {

    /**
     * The traffic of one interval between two readings.
     *
     * @param timeMillis the interval's end
     * @param rate exchanges ended per second
     * @param classRates per status class (as {@link DashboardReading#STATUS_CLASSES}), per second
     * @param latency the durations of the exchanges that ended in the interval
     */
    record Point(long timeMillis, double rate, List<Double> classRates, LatencyBuckets latency) {

        Point {
            classRates = List.copyOf(classRates);
        }

        static Point between(DashboardReading earlier, DashboardReading later) {
            double seconds = Math.max(0.001, (later.timeMillis() - earlier.timeMillis()) / 1000.0);
            long[] classes = new long[DashboardReading.STATUS_CLASSES.size()];
            LatencyBuckets latency = LatencyBuckets.EMPTY;
            for (Map.Entry<Pair, PairCounts> entry : later.pairs().entrySet()) {
                PairCounts before = earlier.pairs().getOrDefault(entry.getKey(), PairCounts.ZERO);
                for (int i = 0; i < classes.length; i++) {
                    classes[i] += Math.max(0, entry.getValue().count(i) - before.count(i));
                }
                latency = latency.plus(entry.getValue().latency().minus(before.latency()));
            }
            List<Double> rates = new ArrayList<>(classes.length);
            long total = 0;
            for (long n : classes) {
                rates.add(n / seconds);
                total += n;
            }
            return new Point(later.timeMillis(), total / seconds, rates, latency);
        }

        /** @return the interval's percentile in seconds, empty when no exchange ended in it */
        OptionalDouble quantile(double q) {
            return latency.quantile(q);
        }
    }

    private final int points;
    private final int window;
    private final Deque<Point> history = new ArrayDeque<>();
    private final Deque<DashboardReading> recent = new ArrayDeque<>();

    /**
     * @param points how many intervals the charts show
     * @param window over how many intervals the tables' rates are taken
     */
    DashboardHistory(int points, int window) {
        if (points < 1 || window < 1) {
            throw new IllegalArgumentException("points and window must be positive: " + points + ", " + window);
        }
        this.points = points;
        this.window = window;
    }

    /** Adds a reading, newer than every one before it (an older or equal one is ignored). */
    synchronized void add(DashboardReading reading) {
        if (!recent.isEmpty()) {
            DashboardReading last = recent.peekLast();
            if (reading.timeMillis() <= last.timeMillis()) {
                return;
            }
            history.addLast(Point.between(last, reading));
            while (history.size() > points) {
                history.removeFirst();
            }
        }
        recent.addLast(reading);
        while (recent.size() > window + 1) {
            recent.removeFirst();
        }
    }

    /**
     * What the history holds at one moment.
     *
     * @param points the charts' points, oldest first
     * @param windowStart the oldest reading of the tables' window; empty before the first reading
     * @param latest the newest reading; empty before the first
     */
    record View(List<Point> points, Optional<DashboardReading> windowStart, Optional<DashboardReading> latest) {

        View {
            points = List.copyOf(points);
        }
    }

    /** @return a consistent copy of what the history holds now */
    synchronized View view() {
        return new View(List.copyOf(history), Optional.ofNullable(recent.peekFirst()), Optional.ofNullable(recent.peekLast()));
    }
}
