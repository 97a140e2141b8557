package io.gatehouse.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The W3C Trace Context of an exchange (<a href="https://www.w3.org/TR/trace-context/">Trace
 * Context level 1</a>), as the server continued or started it: the trace the exchange belongs
 * to, the span id the proxy uses for the exchange, the span of the caller when the trace was
 * continued, whether the trace is sampled, and the vendors' {@code tracestate}. Immutable and
 * thread-safe.
 *
 * <p>The server sends {@code traceparent} to the origin with this trace id and, as parent, a span
 * id of the upstream attempt (see {@link Timing#spanId()}); an exporter that reports the exchange
 * as a span uses {@link #spanId()} for it, so that the ids it reports match what the origin saw.
 *
 * @since 0.2
 */
public final class TraceContext {

    private final String traceId;
    private final String spanId;
    private final Optional<String> parentSpanId;
    private final boolean sampled;
    private final String traceState;

    private TraceContext(String traceId, String spanId, Optional<String> parentSpanId, boolean sampled, String traceState) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.sampled = sampled;
        this.traceState = traceState;
    }

    /**
     * @param traceId 32 lowercase hex digits, not all zero
     * @param spanId the exchange's span id: 16 lowercase hex digits, not all zero
     * @param parentSpanId the caller's span id (same form), empty when the trace started here
     * @param sampled whether the trace is sampled (the {@code sampled} flag)
     * @param traceState the {@code tracestate} value to pass on, empty for none
     * @return the context
     * @throws IllegalArgumentException for an id of the wrong form
     */
    public static TraceContext of(String traceId, String spanId, Optional<String> parentSpanId, boolean sampled,
                                  String traceState) {
        checkId("traceId", traceId, 32);
        checkId("spanId", spanId, 16);
        Objects.requireNonNull(parentSpanId, "parentSpanId").ifPresent(id -> checkId("parentSpanId", id, 16));
        Objects.requireNonNull(traceState, "traceState");
        return new TraceContext(traceId, spanId, parentSpanId, sampled, traceState);
    }

    /** @return the trace id: 32 lowercase hex digits */
    public String traceId() {
        return traceId;
    }

    /** @return the span id of the exchange (the proxy's server span): 16 lowercase hex digits */
    public String spanId() {
        return spanId;
    }

    /** @return the caller's span id from its {@code traceparent}, empty when the trace started at the proxy */
    public Optional<String> parentSpanId() {
        return parentSpanId;
    }

    /** @return whether the trace is sampled: spans of it are recorded and exported */
    public boolean sampled() {
        return sampled;
    }

    /** @return the {@code tracestate} passed on (the caller's, bounded), empty for none */
    public String traceState() {
        return traceState;
    }

    /**
     * @param parentId the span id to send as the parent, 16 lowercase hex digits
     * @return a version-00 {@code traceparent} value of this trace with that parent
     */
    public String traceparent(String parentId) {
        return "00-" + traceId + "-" + parentId + (sampled ? "-01" : "-00");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TraceContext t && t.traceId.equals(traceId) && t.spanId.equals(spanId)
                && t.parentSpanId.equals(parentSpanId) && t.sampled == sampled && t.traceState.equals(traceState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, spanId, parentSpanId, sampled, traceState);
    }

    @Override
    public String toString() {
        return traceparent(spanId) + parentSpanId.map(p -> " parent " + p).orElse("")
                + (traceState.isEmpty() ? "" : " tracestate " + traceState);
    }

    private static void checkId(String name, String id, int length) {
        Objects.requireNonNull(id, name);
        boolean nonZero = false;
        if (id.length() != length) {
            throw new IllegalArgumentException(name + " must be " + length + " lowercase hex digits: " + id);
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException(name + " must be " + length + " lowercase hex digits: " + id);
            }
            nonZero |= c != '0';
        }
        if (!nonZero) {
            throw new IllegalArgumentException(name + " must not be all zeros");
        }
    }
}
