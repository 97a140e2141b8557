package io.gatehouse.api.testkit;

import io.gatehouse.api.internal.MeterNames;
import io.gatehouse.api.metrics.FilterMetrics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.DoubleSupplier;

/**
 * {@link FilterMetrics} that keep what a filter records, for tests to read back ({@link
 * FilterHarness#metrics()}). Names and tags are checked as the server checks them. Tags are
 * matched whatever their order. Thread-safe.
 *
 * <pre>{@code
 * harness.request(TestExchange.get("/a"));
 * assertEquals(1.0, harness.metrics().count("cache.lookups", "result", "miss"));
 * }</pre>
 *
 * @since 0.2
 */
public final class RecordingMetrics implements FilterMetrics {

    private final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, long[]> timers = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();

    private RecordingMetrics() {
    }

    /** @return metrics with nothing recorded */
    public static RecordingMetrics create() {
        return new RecordingMetrics();
    }

    @Override
    public Counter counter(String name, String... tags) {
        DoubleAdder adder = counters.computeIfAbsent(key(name, tags), k -> new DoubleAdder());
        return new Counter() {
            @Override
            public void increment() {
                adder.add(1);
            }

            @Override
            public void increment(double amount) {
                if (amount < 0) {
                    throw new IllegalArgumentException("a counter only goes up: " + amount);
                }
                adder.add(amount);
            }
        };
    }

    @Override
    public Timer timer(String name, String... tags) {
        long[] slot = timers.computeIfAbsent(key(name, tags), k -> new long[2]);
        return new Timer() {
            @Override
            public void record(Duration duration) {
                recordNanos(duration.toNanos());
            }

            @Override
            public void recordNanos(long nanos) {
                if (nanos < 0) {
                    throw new IllegalArgumentException("a duration is not negative: " + nanos);
                }
                synchronized (slot) {
                    slot[0]++;
                    slot[1] += nanos;
                }
            }
        };
    }

    @Override
    public void gauge(String name, DoubleSupplier value, String... tags) {
        Objects.requireNonNull(value, "value");
        gauges.putIfAbsent(key(name, tags), value);
    }

    /**
     * @param name the counter's name
     * @param tags its tags, name/value pairs
     * @return its count, 0 when it was never created
     */
    public double count(String name, String... tags) {
        DoubleAdder adder = counters.get(key(name, tags));
        return adder == null ? 0 : adder.sum();
    }

    /**
     * @param name the timer's name
     * @param tags its tags, name/value pairs
     * @return how many durations it recorded, 0 when it was never created
     */
    public long timerCount(String name, String... tags) {
        long[] slot = timers.get(key(name, tags));
        if (slot == null) {
            return 0;
        }
        synchronized (slot) {
            return slot[0];
        }
    }

    /**
     * @param name the timer's name
     * @param tags its tags, name/value pairs
     * @return the sum of the durations it recorded, zero when it was never created
     */
    public Duration timerTotal(String name, String... tags) {
        long[] slot = timers.get(key(name, tags));
        if (slot == null) {
            return Duration.ZERO;
        }
        synchronized (slot) {
            return Duration.ofNanos(slot[1]);
        }
    }

    /**
     * @param name the gauge's name
     * @param tags its tags, name/value pairs
     * @return its value read now, empty when no such gauge was registered
     */
    public OptionalDouble gauge(String name, String... tags) {
        DoubleSupplier value = gauges.get(key(name, tags));
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value.getAsDouble());
    }

    private static String key(String name, String... tags) {
        MeterNames.check(name, tags);
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            sorted.put(tags[i], tags[i + 1]);
        }
        return name + sorted;
    }
}
