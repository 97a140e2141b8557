package io.gatehouse.server.tracing;

import io.gatehouse.api.TraceContext;
import io.gatehouse.server.config.TraceSettings;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives an exchange its trace context: the client's trace continued (its {@code sampled} flag
 * decides, parent-based) when it sent exactly one valid {@code traceparent} and may be
 * continued, with its {@code tracestate} bounded; otherwise a new trace, sampled with the
 * configured share, without {@code tracestate}. The exchange gets a new span id either way.
 */
public final class TraceStarter {

    /** The field that carries the trace id, the parent span id and the flags. */
    public static final String TRACEPARENT = "traceparent";
    /** The field that carries vendors' trace state. */
    public static final String TRACESTATE = "tracestate";

    private TraceStarter() {
    }

    /**
     * @param request the client→proxy request head as it arrived
     * @param trusted whether its sender is a trusted proxy
     * @param settings the trace-context settings (enabled)
     * @return the exchange's trace context
     */
    public static TraceContext start(HttpRequest request, boolean trusted, TraceSettings settings) {
        if (settings.continueFrom() == TraceSettings.Continue.ALWAYS
                || settings.continueFrom() == TraceSettings.Continue.TRUSTED_PROXIES && trusted) {
            Header[] parents = request.getHeaders(TRACEPARENT);
            if (parents.length == 1) {
                Optional<TraceParent> parent = TraceParent.parse(parents[0].getValue());
                if (parent.isPresent()) {
                    Header[] states = request.getHeaders(TRACESTATE);
                    String[] lines = new String[states.length];
                    for (int i = 0; i < states.length; i++) {
                        lines[i] = states[i].getValue();
                    }
                    TraceParent p = parent.get();
                    return TraceContext.of(p.traceId(), TraceIds.spanId(), Optional.of(p.parentId()), p.sampled(),
                            TraceState.bound(lines));
                }
            }
        }
        return TraceContext.of(TraceIds.traceId(), TraceIds.spanId(), Optional.empty(), sample(settings.sampling()), "");
    }

    private static boolean sample(double share) {
        return share >= 1.0 || share > 0 && ThreadLocalRandom.current().nextDouble() < share;
    }

    /**
     * Puts the exchange's context on the request head (what filters see and the origin gets, the
     * proxy's span as parent; each attempt replaces {@code traceparent} with its own span id).
     *
     * @param request the client→proxy request head, after the hop-by-hop rules
     * @param trace the exchange's trace context
     */
    public static void apply(HttpRequest request, TraceContext trace) {
        request.removeHeaders(TRACEPARENT);
        request.addHeader(TRACEPARENT, trace.traceparent(trace.spanId()));
        request.removeHeaders(TRACESTATE);
        if (!trace.traceState().isEmpty()) {
            request.setHeader(TRACESTATE, trace.traceState());
        }
    }
}
