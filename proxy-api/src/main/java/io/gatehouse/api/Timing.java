package io.gatehouse.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One timed step of a sampled exchange ({@link Outcome#timings()}): the exchange itself, one
 * filter hook, or one upstream attempt; what an exporter turns into a span. Immutable and
 * thread-safe.
 *
 * <p>Times are on the wall clock in nanoseconds since the epoch, measured with the monotonic
 * clock from one wall-clock reading at the exchange's start: steps of one exchange are exact
 * relative to each other.
 *
 * @since 0.2
 */
public final class Timing {

    /**
     * What a step is.
     *
     * @since 0.2
     */
    public enum Kind {
        /**
         * The whole exchange, from the request head's arrival to its end. {@link #name()} is the
         * request method, {@link #operation()} the request path, {@link #result()} {@code
         * completed} or {@code aborted}, {@link #status()} the status sent to the client, and
         * {@link #spanId()} the exchange's span id ({@link TraceContext#spanId()}).
         */
        EXCHANGE,
        /**
         * One {@code onRequest} or {@code onResponse} call, to the completion of its stage.
         * {@link #name()} is the filter instance's name, {@link #operation()} the hook, {@link
         * #result()} {@code proceeded}, {@code answered} (a short-circuit or replacement), {@code
         * failed} or {@code timeout}.
         */
        FILTER_HOOK,
        /**
         * One attempt to reach an upstream, from its start (pool lease or connect included) to
         * the origin's response head or the attempt's failure. {@link #name()} is the upstream
         * ({@code http://10.0.0.7:8080}), {@link #operation()} the attempt number ({@code 1} for
         * the first), {@link #result()} {@code response}, {@code connect_failure}, {@code reset},
         * {@code timeout} or {@code stale_connection}, {@link #status()} the origin's status
         * (0 without response), and {@link #spanId()} the parent id the origin received in
         * {@code traceparent}.
         */
        UPSTREAM_ATTEMPT
    }

    private final Kind kind;
    private final String name;
    private final String operation;
    private final long startEpochNanos;
    private final long durationNanos;
    private final String result;
    private final int status;
    private final Optional<String> spanId;

    private Timing(Kind kind, String name, String operation, long startEpochNanos, long durationNanos, String result,
                   int status, Optional<String> spanId) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.startEpochNanos = startEpochNanos;
        if (durationNanos < 0) {
            throw new IllegalArgumentException("durationNanos must not be negative: " + durationNanos);
        }
        this.durationNanos = durationNanos;
        this.result = Objects.requireNonNull(result, "result");
        this.status = status;
        this.spanId = Objects.requireNonNull(spanId, "spanId");
    }

    /**
     * @param kind what the step is
     * @param name see {@link Kind}
     * @param operation see {@link Kind}
     * @param startEpochNanos its start, nanoseconds since the epoch
     * @param durationNanos its duration, not negative
     * @param result how it ended, see {@link Kind}
     * @param status an HTTP status, 0 for none
     * @param spanId the span id the server gave the step, if any
     * @return the step
     */
    public static Timing of(Kind kind, String name, String operation, long startEpochNanos, long durationNanos, String result,
                            int status, Optional<String> spanId) {
        return new Timing(kind, name, operation, startEpochNanos, durationNanos, result, status, spanId);
    }

    /** @return what the step is */
    public Kind kind() {
        return kind;
    }

    /** @return the method, filter instance or upstream, see {@link Kind} */
    public String name() {
        return name;
    }

    /** @return the path, hook or attempt number, see {@link Kind} */
    public String operation() {
        return operation;
    }

    /** @return the start, nanoseconds since the epoch */
    public long startEpochNanos() {
        return startEpochNanos;
    }

    /** @return the duration in nanoseconds */
    public long durationNanos() {
        return durationNanos;
    }

    /** @return the end, nanoseconds since the epoch */
    public long endEpochNanos() {
        return startEpochNanos + durationNanos;
    }

    /** @return how the step ended, see {@link Kind} */
    public String result() {
        return result;
    }

    /** @return the HTTP status of the step, 0 for none */
    public int status() {
        return status;
    }

    /** @return the span id the server gave the step (the exchange, an upstream attempt), if any */
    public Optional<String> spanId() {
        return spanId;
    }

    @Override
    public String toString() {
        return kind + " " + name + " " + operation + " " + result + (status > 0 ? " " + status : "") + " "
                + durationNanos + " ns";
    }
}
