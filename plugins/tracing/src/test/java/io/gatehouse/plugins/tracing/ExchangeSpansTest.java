package io.gatehouse.plugins.tracing;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.Timing;
import io.gatehouse.api.TraceContext;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutcome;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeSpansTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final TraceContext CONTEXT = TraceContext.of(TRACE, "1111111111111111", Optional.of("00f067aa0ba902b7"), true,
            "rojo=1,congo=2");
    private final ExchangeSpans spans = new ExchangeSpans(Resource.empty(), InstrumentationScopeInfo.create("t"), true);

    /** An outcome with the given timings and status. */
    private static Outcome outcome(int status, Outcome.Kind kind, List<Timing> timings) {
        TestOutcome outcome = kind == Outcome.Kind.ABORTED ? TestOutcome.aborted() : TestOutcome.completed(status);
        return (status == 502 ? outcome.detail("upstream_connect_failure") : outcome).timings(timings).build();
    }

    private static Timing exchange(int status) {
        return Timing.of(Timing.Kind.EXCHANGE, "GET", "/a", 1_000, 900, "completed", status, Optional.of("1111111111111111"));
    }

    @Test
    void unsampledExchangesHaveNoSpans() {
        TestExchange exchange = TestExchange.get("/a").trace(CONTEXT);
        assertThat(spans.of(exchange, outcome(200, Outcome.Kind.COMPLETED, List.of()))).isEmpty();
        assertThat(spans.of(TestExchange.get("/a"), outcome(200, Outcome.Kind.COMPLETED, List.of(exchange(200))))).isEmpty();
    }

    @Test
    void theServerSpanContinuesTheCallerAndTheChildrenHangBelowIt() {
        TestExchange exchange = TestExchange.get("/a").trace(CONTEXT);
        List<TimedSpan> made = spans.of(exchange, outcome(502, Outcome.Kind.COMPLETED, List.of(exchange(502),
                Timing.of(Timing.Kind.FILTER_HOOK, "auth", "onRequest", 1_100, 50, "timeout", 0, Optional.empty()),
                Timing.of(Timing.Kind.UPSTREAM_ATTEMPT, "http://10.0.0.7:8080", "2", 1_200, 100, "connect_failure", 0,
                        Optional.of("2222222222222222")))));

        assertThat(made).hasSize(3);
        TimedSpan server = made.get(0);
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getSpanContext().getSpanId()).isEqualTo("1111111111111111");
        assertThat(server.getParentSpanContext().getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(server.getParentSpanContext().isRemote()).isTrue();
        assertThat(server.getSpanContext().getTraceState().asMap()).containsEntry("rojo", "1").containsEntry("congo", "2");
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(server.getAttribute(ExchangeSpans.ERROR_TYPE)).isEqualTo("upstream_connect_failure");
        assertThat(server.getStartEpochNanos()).isEqualTo(1_000);
        assertThat(server.getEndEpochNanos()).isEqualTo(1_900);

        TimedSpan hook = made.get(1);
        assertThat(hook.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(hook.getName()).isEqualTo("auth onRequest");
        assertThat(hook.getParentSpanContext().getSpanId()).isEqualTo("1111111111111111");
        assertThat(hook.getSpanContext().getSpanId()).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
        assertThat(hook.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

        TimedSpan attempt = made.get(2);
        assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(attempt.getSpanContext().getSpanId()).isEqualTo("2222222222222222");
        assertThat(attempt.getSpanContext().getTraceId()).isEqualTo(TRACE);
        assertThat(attempt.getAttribute(ExchangeSpans.SERVER_ADDRESS)).isEqualTo("10.0.0.7");
        assertThat(attempt.getAttribute(ExchangeSpans.SERVER_PORT)).isEqualTo(8080L);
        assertThat(attempt.getAttribute(ExchangeSpans.RESEND_COUNT)).isEqualTo(1L);
        assertThat(attempt.getAttribute(ExchangeSpans.ERROR_TYPE)).isEqualTo("connect_failure");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void hooksCanBeLeftOut() {
        ExchangeSpans withoutHooks = new ExchangeSpans(Resource.empty(), InstrumentationScopeInfo.create("t"), false);
        TestExchange exchange = TestExchange.get("/a").trace(CONTEXT);
        List<TimedSpan> made = withoutHooks.of(exchange, outcome(200, Outcome.Kind.COMPLETED, List.of(exchange(200),
                Timing.of(Timing.Kind.FILTER_HOOK, "auth", "onRequest", 1_100, 50, "proceeded", 0, Optional.empty()))));
        assertThat(made).singleElement().satisfies(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(span.getAttribute(ExchangeSpans.STATUS)).isEqualTo(200L);
        });
    }

    @Test
    void anAbortedExchangeIsAnError() {
        TestExchange exchange = TestExchange.get("/a").trace(TraceContext.of(TRACE, "1111111111111111", Optional.empty(), true, ""));
        TimedSpan server = spans.of(exchange, outcome(0, Outcome.Kind.ABORTED, List.of(exchange(0)))).get(0);
        assertThat(server.getParentSpanContext().isValid()).as("a trace started at the proxy").isFalse();
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(server.getAttribute(ExchangeSpans.ERROR_TYPE)).isEqualTo("aborted");
        assertThat(server.getAttribute(ExchangeSpans.STATUS)).isNull();
    }
}
