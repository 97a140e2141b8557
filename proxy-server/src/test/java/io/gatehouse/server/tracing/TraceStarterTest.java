package io.gatehouse.server.tracing;

import io.gatehouse.api.TraceContext;
import io.gatehouse.server.config.TraceSettings;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TraceStarterTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    private static BasicHttpRequest request(String... namesAndValues) {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            request.addHeader(namesAndValues[i], namesAndValues[i + 1]);
        }
        return request;
    }

    private static TraceSettings settings(TraceSettings.Continue from, double sampling) {
        return new TraceSettings(true, from, sampling);
    }

    @Test
    void aValidTraceparentIsContinuedWithANewSpanAndItsDecisionAndTracestate() {
        TraceContext trace = TraceStarter.start(request("traceparent", "00-" + TRACE + "-" + PARENT + "-00",
                "tracestate", "rojo=1", "tracestate", "congo=2"), false, settings(TraceSettings.Continue.ALWAYS, 1.0));

        assertThat(trace.traceId()).isEqualTo(TRACE);
        assertThat(trace.parentSpanId()).hasValue(PARENT);
        assertThat(trace.spanId()).hasSize(16).isNotEqualTo(PARENT);
        assertThat(trace.sampled()).as("parent-based: the caller did not sample").isFalse();
        assertThat(trace.traceState()).isEqualTo("rojo=1,congo=2");
    }

    @Test
    void anInvalidOrRepeatedTraceparentStartsANewTraceWithoutTracestate() {
        TraceSettings always = settings(TraceSettings.Continue.ALWAYS, 1.0);
        for (BasicHttpRequest request : new BasicHttpRequest[] {
                request("traceparent", "00-" + TRACE + "-" + PARENT + "-0", "tracestate", "rojo=1"),
                request("traceparent", "00-" + TRACE + "-" + PARENT + "-01", "traceparent", "00-" + TRACE + "-" + PARENT + "-01")}) {
            TraceContext trace = TraceStarter.start(request, false, always);
            assertThat(trace.traceId()).hasSize(32).isNotEqualTo(TRACE);
            assertThat(trace.parentSpanId()).isEmpty();
            assertThat(trace.traceState()).isEmpty();
            assertThat(trace.sampled()).isTrue();
        }
    }

    @Test
    void continuingCanBeLimitedToTrustedProxiesOrSwitchedOff() {
        BasicHttpRequest request = request("traceparent", "00-" + TRACE + "-" + PARENT + "-01");
        assertThat(TraceStarter.start(request, true, settings(TraceSettings.Continue.TRUSTED_PROXIES, 1)).traceId()).isEqualTo(TRACE);
        assertThat(TraceStarter.start(request, false, settings(TraceSettings.Continue.TRUSTED_PROXIES, 1)).traceId()).isNotEqualTo(TRACE);
        assertThat(TraceStarter.start(request, true, settings(TraceSettings.Continue.NEVER, 1)).traceId()).isNotEqualTo(TRACE);
    }

    @Test
    void samplingDecidesNewTracesOnly() {
        TraceSettings none = settings(TraceSettings.Continue.ALWAYS, 0.0);
        assertThat(TraceStarter.start(request(), false, none).sampled()).isFalse();
        assertThat(TraceStarter.start(request("traceparent", "00-" + TRACE + "-" + PARENT + "-01"), false, none).sampled())
                .as("parent-based").isTrue();

        TraceSettings quarter = settings(TraceSettings.Continue.ALWAYS, 0.25);
        int sampled = 0;
        for (int i = 0; i < 4000; i++) {
            sampled += TraceStarter.start(request(), false, quarter).sampled() ? 1 : 0;
        }
        assertThat(sampled).isBetween(800, 1200); // 1000 expected; outside is over 7 standard deviations away
    }

    @RepeatedTest(3)
    void newIdsAreLowercaseHexAndDistinct() {
        Set<String> traces = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = TraceIds.traceId();
            assertThat(id).matches("[0-9a-f]{32}");
            traces.add(id);
            assertThat(TraceIds.spanId()).matches("[0-9a-f]{16}");
        }
        assertThat(traces).hasSize(1000);
    }

    @Test
    void applyPutsTheExchangeSpanOnTheHeadAndReplacesWhatWasThere() {
        BasicHttpRequest request = request("traceparent", "junk", "traceparent", "more junk", "tracestate", "old=1");
        TraceContext trace = TraceContext.of(TRACE, "1111111111111111", java.util.Optional.of(PARENT), true, "rojo=1");
        TraceStarter.apply(request, trace);
        assertThat(request.getHeaders("traceparent")).extracting(h -> h.getValue())
                .containsExactly("00-" + TRACE + "-1111111111111111-01");
        assertThat(request.getHeaders("tracestate")).extracting(h -> h.getValue()).containsExactly("rojo=1");
    }
}
