package io.gatehouse.server.config;

/**
 * {@code server.forwarding.trace-context}: W3C Trace Context ({@code traceparent},
 * {@code tracestate}) continued from the client or started by the proxy, and sent to the origin.
 *
 * @param enabled whether the proxy keeps a trace context at all (otherwise both fields pass untouched)
 * @param continueFrom whose {@code traceparent} is continued
 * @param sampling the share of new traces that are sampled, 0 to 1 (continued traces keep the caller's decision)
 */
public record TraceSettings(boolean enabled, Continue continueFrom, double sampling) {

    /** On, continuing every client's trace, sampling every new trace. */
    public static final TraceSettings DEFAULT = new TraceSettings(true, Continue.ALWAYS, 1.0);

    /** Checks the sampling share. */
    public TraceSettings {
        java.util.Objects.requireNonNull(continueFrom, "continueFrom");
        if (!(sampling >= 0 && sampling <= 1)) {
            throw new IllegalArgumentException("sampling must be between 0 and 1: " + sampling);
        }
    }

    /** Whose incoming {@code traceparent} the proxy continues ({@code continue}). */
    public enum Continue {
        /** Every client's ({@code always}). */
        ALWAYS,
        /** Only that of {@code trusted-proxies} ({@code trusted-proxies}); others start a new trace. */
        TRUSTED_PROXIES,
        /** Nobody's ({@code never}): every exchange starts a new trace. */
        NEVER
    }
}
