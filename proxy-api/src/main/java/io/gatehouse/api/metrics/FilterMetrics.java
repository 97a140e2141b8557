package io.gatehouse.api.metrics;

import io.gatehouse.api.internal.MeterNames;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Meters of one filter instance ({@link io.gatehouse.api.FilterContext#metrics()}). Create them
 * once, in {@link io.gatehouse.api.ProxyFilterFactory#create}, and keep them: recording is then
 * cheap and allocation-free on the request path.
 *
 * <p>Names are lower case, words separated by dots ({@code cache.lookups}), at most 64
 * characters; the chain engine's own names ({@code calls}, {@code short.circuits}, {@code
 * errors}, {@code duration}) are taken. Tags are name/value pairs ({@code "result", "hit"}); tag
 * names are lower case with underscores, and {@code filter} and {@code type} are the server's.
 * Keep tag values few and fixed (from the configuration or a small set of outcomes), never from
 * request data: every distinct value is a series. A name must keep the same tag names wherever it
 * is used.
 *
 * <p>Thread-safe; meters may be recorded from any thread.
 *
 * @since 0.2
 */
public interface FilterMetrics {

    /**
     * @param name the meter's name, e.g. {@code cache.lookups}
     * @param tags name/value pairs
     * @return the counter; the same meter for the same name and tags
     * @throws IllegalArgumentException for a malformed or taken name, an odd number of tag
     *     strings, or a malformed or reserved tag name
     */
    Counter counter(String name, String... tags);

    /**
     * @param name the meter's name, e.g. {@code jwks.fetch}
     * @param tags name/value pairs
     * @return the timer; the same meter for the same name and tags
     * @throws IllegalArgumentException as for {@link #counter}
     */
    Timer timer(String name, String... tags);

    /**
     * Registers a value read at each scrape (from the scraping thread: it must be cheap and
     * thread-safe). A second gauge with the same name and tags is ignored.
     *
     * @param name the meter's name, e.g. {@code cache.entries}
     * @param value reads the current value
     * @param tags name/value pairs
     * @throws IllegalArgumentException as for {@link #counter}
     */
    void gauge(String name, DoubleSupplier value, String... tags);

    /**
     * @return metrics that record nothing (the default of {@link io.gatehouse.api.FilterContext#metrics()})
     */
    static FilterMetrics none() {
        return NoMetrics.INSTANCE;
    }

    /** A count that only goes up. */
    interface Counter {

        /** Adds one. */
        void increment();

        /**
         * @param amount what to add, not negative
         */
        void increment(double amount);
    }

    /** Durations of an operation: count, total and a histogram. */
    interface Timer {

        /**
         * @param duration how long the operation took, not negative
         */
        void record(Duration duration);

        /**
         * @param nanos how long the operation took, in nanoseconds ({@code System.nanoTime()} differences)
         */
        void recordNanos(long nanos);
    }
}

/** Records nothing, but checks its arguments as every implementation does. */
final class NoMetrics implements FilterMetrics {

    static final NoMetrics INSTANCE = new NoMetrics();
    private static final Counter COUNTER = new Counter() {
        @Override
        public void increment() {
        }

        @Override
        public void increment(double amount) {
        }
    };
    private static final Timer TIMER = new Timer() {
        @Override
        public void record(Duration duration) {
        }

        @Override
        public void recordNanos(long nanos) {
        }
    };

    private NoMetrics() {
    }

    @Override
    public Counter counter(String name, String... tags) {
        MeterNames.check(name, tags);
        return COUNTER;
    }

    @Override
    public Timer timer(String name, String... tags) {
        MeterNames.check(name, tags);
        return TIMER;
    }

    @Override
    public void gauge(String name, DoubleSupplier value, String... tags) {
        MeterNames.check(name, tags);
    }
}
