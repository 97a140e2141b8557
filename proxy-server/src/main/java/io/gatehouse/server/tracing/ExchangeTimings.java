package io.gatehouse.server.tracing;

import io.gatehouse.api.Timing;
import io.gatehouse.api.Upstream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The timings of one sampled exchange ({@code Outcome.timings()}): filter hooks and upstream
 * attempts, recorded as they end, each with its start on the wall clock derived from one reading
 * taken when the exchange started. {@link #OFF} records nothing, for unsampled exchanges.
 * Thread-safe (a hook's deadline may be recorded on the timer thread); uncontended in practice.
 */
public final class ExchangeTimings {

    /** Records nothing. */
    public static final ExchangeTimings OFF = new ExchangeTimings(0, 0, false);

    private static final Comparator<Timing> BY_START = Comparator.comparingLong(Timing::startEpochNanos);

    private final long startNanos;
    private final long startEpochNanos;
    private final boolean on;
    private final List<Timing> steps;

    private ExchangeTimings(long startNanos, long startEpochNanos, boolean on) {
        this.startNanos = startNanos;
        this.startEpochNanos = startEpochNanos;
        this.on = on;
        this.steps = on ? new ArrayList<>(8) : List.of();
    }

    /**
     * Starts recording; reads the wall clock once.
     *
     * @param startNanos {@link System#nanoTime()} when the exchange's request head arrived
     * @return a recorder
     */
    public static ExchangeTimings start(long startNanos) {
        Instant now = Instant.now();
        long elapsed = System.nanoTime() - startNanos;
        return new ExchangeTimings(startNanos, now.getEpochSecond() * 1_000_000_000L + now.getNano() - elapsed, true);
    }

    /** @return whether this recorder records (the exchange is sampled) */
    public boolean on() {
        return on;
    }

    /**
     * Records the end of a filter hook now.
     *
     * @param filter the filter instance's name
     * @param hook {@code onRequest} or {@code onResponse}
     * @param calledNanos {@link System#nanoTime()} at the call
     * @param result {@code proceeded}, {@code answered}, {@code failed} or {@code timeout}
     */
    public void hook(String filter, String hook, long calledNanos, String result) {
        if (on) {
            add(Timing.of(Timing.Kind.FILTER_HOOK, filter, hook, epoch(calledNanos), System.nanoTime() - calledNanos, result, 0,
                    Optional.empty()));
        }
    }

    /**
     * Records the end of an upstream attempt now.
     *
     * @param upstream the attempt's upstream
     * @param attempt its number, 1 for the first
     * @param startedNanos {@link System#nanoTime()} at its start
     * @param result {@code response}, {@code connect_failure}, {@code reset}, {@code timeout} or {@code stale_connection}
     * @param status the origin's status, 0 when none
     * @param spanId the span id sent as parent in the attempt's {@code traceparent}
     */
    public void attempt(Upstream upstream, int attempt, long startedNanos, String result, int status, String spanId) {
        if (on) {
            add(Timing.of(Timing.Kind.UPSTREAM_ATTEMPT, upstream.toString(), Integer.toString(attempt), epoch(startedNanos),
                    System.nanoTime() - startedNanos, result, status, Optional.of(spanId)));
        }
    }

    private synchronized void add(Timing step) {
        steps.add(step);
    }

    /**
     * @param exchange the step of the whole exchange, first in the list
     * @return the exchange's step and then the recorded ones by start; empty when off
     */
    public synchronized List<Timing> timings(Timing exchange) {
        if (!on) {
            return List.of();
        }
        List<Timing> all = new ArrayList<>(steps.size() + 1);
        all.addAll(steps);
        all.sort(BY_START);
        all.add(0, exchange);
        return List.copyOf(all);
    }

    /**
     * @param nanos a {@link System#nanoTime()} reading during the exchange
     * @return the same instant, in nanoseconds since the epoch
     */
    public long epoch(long nanos) {
        return startEpochNanos + (nanos - startNanos);
    }
}
