package io.gatehouse.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one filter instance, created once when the chain is built and tagged with the
 * instance's name ({@code filter}) and type ({@code type}): per hook, calls, short-circuits,
 * errors (a hook that threw or failed its stage, or that missed the filter deadline) and, for
 * {@code onRequest} and {@code onResponse}, the latency from the call to the completion of its
 * stage. Thread-safe.
 */
public final class FilterMeters {

    /** Latency buckets of the hook timers (100 µs … 1 s). */
    private static final Duration[] BUCKETS = {Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(10),
            Duration.ofMillis(100), Duration.ofSeconds(1)};

    private final Hook request;
    private final Hook response;
    private final Counter completeCalls;
    private final Counter completeErrors;

    private FilterMeters(MeterRegistry registry, String name, String type) {
        Tags tags = Tags.of("filter", name, "type", type);
        this.request = new Hook(registry, tags, "onRequest");
        this.response = new Hook(registry, tags, "onResponse");
        Tags complete = tags.and("hook", "onComplete");
        this.completeCalls = Counter.builder("gatehouse.filter.calls").tags(complete)
                .description("Hook calls").register(registry);
        this.completeErrors = Counter.builder("gatehouse.filter.errors").tags(complete.and("cause", "failure"))
                .description("Hooks that threw, failed their stage or missed the filter deadline").register(registry);
    }

    /**
     * @param registry where the meters live
     * @param name the instance name
     * @param type the filter type
     * @return the instance's meters, registered
     */
    public static FilterMeters create(MeterRegistry registry, String name, String type) {
        return new FilterMeters(registry, name, type);
    }

    /**
     * @param name the instance name
     * @param type the filter type
     * @return meters that record nothing (a chain built without a server: {@code explain}, tests)
     */
    public static FilterMeters none(String name, String type) {
        return new FilterMeters(new CompositeMeterRegistry(), name, type);
    }

    /** @return the meters of {@code onRequest} */
    public Hook request() {
        return request;
    }

    /** @return the meters of {@code onResponse} */
    public Hook response() {
        return response;
    }

    /** Counts an {@code onComplete} call. */
    public void completeCalled() {
        completeCalls.increment();
    }

    /** Counts an {@code onComplete} that threw. */
    public void completeFailed() {
        completeErrors.increment();
    }

    /** The meters of one asynchronous hook ({@code onRequest} or {@code onResponse}). */
    public static final class Hook {

        private final Counter calls;
        private final Counter shortCircuits;
        private final Counter failures;
        private final Counter timeouts;
        private final Timer duration;

        private Hook(MeterRegistry registry, Tags filter, String hook) {
            Tags tags = filter.and("hook", hook);
            this.calls = Counter.builder("gatehouse.filter.calls").tags(tags).description("Hook calls").register(registry);
            this.shortCircuits = Counter.builder("gatehouse.filter.short.circuits").tags(tags)
                    .description("Hooks that answered: a short-circuit in onRequest, a replacement in onResponse")
                    .register(registry);
            this.failures = Counter.builder("gatehouse.filter.errors").tags(tags.and("cause", "failure"))
                    .description("Hooks that threw, failed their stage or missed the filter deadline").register(registry);
            this.timeouts = Counter.builder("gatehouse.filter.errors").tags(tags.and("cause", "timeout"))
                    .description("Hooks that threw, failed their stage or missed the filter deadline").register(registry);
            this.duration = Timer.builder("gatehouse.filter.duration").tags(tags)
                    .description("From the hook's call to the completion of its stage").serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }

        /** Counts a call. */
        public void called() {
            calls.increment();
        }

        /**
         * Records the end of a call that proceeded.
         *
         * @param startNanos {@link System#nanoTime()} at the call
         */
        public void proceeded(long startNanos) {
            duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }

        /**
         * Records the end of a call that answered (short-circuit or replacement).
         *
         * @param startNanos {@link System#nanoTime()} at the call
         */
        public void answered(long startNanos) {
            duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            shortCircuits.increment();
        }

        /**
         * Records the end of a call that failed.
         *
         * @param startNanos {@link System#nanoTime()} at the call
         * @param timedOut whether it missed the filter deadline (else it threw or failed its stage)
         */
        public void failed(long startNanos, boolean timedOut) {
            duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            (timedOut ? timeouts : failures).increment();
        }
    }
}
