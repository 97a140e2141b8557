package io.gatehouse.server.metrics;

import io.gatehouse.api.internal.MeterNames;
import io.gatehouse.api.metrics.FilterMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The server's {@link FilterMetrics} of one filter instance: Micrometer meters in the server's
 * registry, named {@code gatehouse.filter.<name>} (Prometheus: {@code gatehouse_filter_<name>…})
 * and tagged with the instance name and type. Thread-safe.
 */
public final class RegistryFilterMetrics implements FilterMetrics {

    private static final String PREFIX = "gatehouse.filter.";

    private final MeterRegistry registry;
    private final Tags instance;

    /**
     * @param registry the server's registry
     * @param name the instance name
     * @param type the filter type
     */
    public RegistryFilterMetrics(MeterRegistry registry, String name, String type) {
        this.registry = registry;
        this.instance = Tags.of("filter", name, "type", type);
    }

    @Override
    public Counter counter(String name, String... tags) {
        MeterNames.check(name, tags);
        io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter.builder(PREFIX + name)
                .tags(instance).tags(tags).register(registry);
        return new Counter() {
            @Override
            public void increment() {
                counter.increment();
            }

            @Override
            public void increment(double amount) {
                if (amount < 0) {
                    throw new IllegalArgumentException("a counter only goes up: " + amount);
                }
                counter.increment(amount);
            }
        };
    }

    @Override
    public Timer timer(String name, String... tags) {
        MeterNames.check(name, tags);
        io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer.builder(PREFIX + name)
                .tags(instance).tags(tags).register(registry);
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
                timer.record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    @Override
    public void gauge(String name, DoubleSupplier value, String... tags) {
        MeterNames.check(name, tags);
        // The latest instance's gauge wins: after a reload, a new instance of the filter registers the
        // same gauge, and Micrometer would otherwise keep reading the retired instance.
        java.util.Set<io.micrometer.core.instrument.Tag> wanted = new java.util.HashSet<>();
        instance.and(tags).forEach(wanted::add);
        for (Gauge existing : registry.find(PREFIX + name).gauges()) {
            if (new java.util.HashSet<>(existing.getId().getTags()).equals(wanted)) {
                registry.remove(existing);
            }
        }
        Gauge.builder(PREFIX + name, value::getAsDouble).tags(instance).tags(tags).register(registry);
    }
}
