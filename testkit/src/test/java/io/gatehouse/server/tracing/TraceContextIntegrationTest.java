package io.gatehouse.server.tracing;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import io.gatehouse.api.Timing;
import io.gatehouse.api.TraceContext;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** W3C trace context through the real server: continued, started, replaced, passed to the origin, timed. */
class TraceContextIntegrationTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE + "-" + PARENT + "-01";

    /** Records the trace context a filter sees and the outcome it gets; answers {@code /local} itself. */
    static final class Recorder implements ProxyFilterFactory<String> {
        final AtomicReference<Optional<TraceContext>> seen = new AtomicReference<>(Optional.empty());
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final boolean timed;

        Recorder() {
            this(true);
        }

        /** @param timed whether its filter reads timings */
        Recorder(boolean timed) {
            this.timed = timed;
        }

        @Override
        public String type() {
            return "recorder";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    seen.set(exchange.trace());
                    return exchange.request().path().equals("/local")
                            ? FilterResult.respond(Response.text(403, "no")) : FilterResult.proceed();
                }

                @Override
                public boolean readsTimings() {
                    return timed;
                }

                @Override
                public void onComplete(Exchange exchange, Outcome ended) {
                    outcome.complete(ended);
                }
            };
        }
    }

    private static String send(EmbeddedGatehouse proxy, String request) {
        try (RawConnection raw = proxy.raw()) {
            return raw.send(request).readResponse();
        }
    }

    private static EmbeddedGatehouse proxy(TestOrigin origin, Recorder recorder, String server) {
        return EmbeddedGatehouse.builder().upstream(origin).filters(recorder)
                .config(server + "filters: [ { type: recorder, name: rec } ]\n").start();
    }

    private static String[] parts(String traceparent) {
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return traceparent.split("-");
    }

    @Test
    void aClientsTraceIsContinuedTheOriginSeesItWithTheAttemptsSpanAsParent() throws Exception {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "")) {
            String response = send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\ntraceparent: " + TRACEPARENT
                    + "\r\ntracestate: rojo=00f067aa0ba902b7\r\ntracestate: congo=t61rcWkgMzE\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 200");

            assertThat(origin.lastRequest().headers().all("traceparent")).hasSize(1);
            String[] sent = parts(origin.lastRequest().header("traceparent").orElseThrow());
            assertThat(sent[1]).isEqualTo(TRACE);
            assertThat(sent[2]).isNotEqualTo(PARENT);
            assertThat(sent[3]).isEqualTo("01");
            assertThat(origin.lastRequest().header("tracestate")).hasValue("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");

            TraceContext trace = recorder.seen.get().orElseThrow();
            assertThat(trace.traceId()).isEqualTo(TRACE);
            assertThat(trace.parentSpanId()).hasValue(PARENT);
            assertThat(trace.sampled()).isTrue();

            List<Timing> timings = recorder.outcome.get(5, TimeUnit.SECONDS).timings();
            assertThat(timings).extracting(Timing::kind).containsExactly(Timing.Kind.EXCHANGE, Timing.Kind.FILTER_HOOK,
                    Timing.Kind.UPSTREAM_ATTEMPT, Timing.Kind.FILTER_HOOK);
            Timing exchange = timings.get(0);
            assertThat(exchange.spanId()).hasValue(trace.spanId());
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(timings.get(1).name()).isEqualTo("rec");
            assertThat(timings.get(1).operation()).isEqualTo("onRequest");
            assertThat(timings.get(3).operation()).isEqualTo("onResponse");
            Timing attempt = timings.get(2);
            assertThat(attempt.spanId()).as("the parent the origin saw").hasValue(sent[2]);
            assertThat(attempt.name()).isEqualTo(origin.url());
            assertThat(attempt.result()).isEqualTo("response");
            assertThat(attempt.status()).isEqualTo(200);
            for (Timing step : timings.subList(1, timings.size())) {
                assertThat(step.startEpochNanos()).isGreaterThanOrEqualTo(exchange.startEpochNanos());
                assertThat(step.endEpochNanos()).isLessThanOrEqualTo(exchange.endEpochNanos());
            }
        }
    }

    @Test
    void withoutTraceparentANewSampledTraceStarts() throws Exception {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "")) {
            send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\ntracestate: rojo=1\r\n\r\n");

            String[] sent = parts(origin.lastRequest().header("traceparent").orElseThrow());
            TraceContext trace = recorder.seen.get().orElseThrow();
            assertThat(sent[1]).isEqualTo(trace.traceId());
            assertThat(sent[3]).isEqualTo("01");
            assertThat(trace.parentSpanId()).isEmpty();
            assertThat(origin.lastRequest().header("tracestate")).as("no tracestate without its traceparent").isEmpty();
            assertThat(recorder.outcome.get(5, TimeUnit.SECONDS).timings()).isNotEmpty();
        }
    }

    @Test
    void anInvalidTraceparentIsReplacedByANewTrace() {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "")) {
            send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\ntraceparent: 00-" + TRACE.toUpperCase() + "-" + PARENT
                    + "-01\r\ntracestate: rojo=1\r\n\r\n");

            assertThat(origin.lastRequest().headers().all("traceparent")).hasSize(1);
            String[] sent = parts(origin.lastRequest().header("traceparent").orElseThrow());
            assertThat(sent[1]).isNotEqualToIgnoringCase(TRACE).isEqualTo(recorder.seen.get().orElseThrow().traceId());
            assertThat(origin.lastRequest().header("tracestate")).isEmpty();
        }
    }

    @Test
    void anUnsampledTraceIsPassedOnUnsampledAndNotTimed() throws Exception {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "")) {
            send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\ntraceparent: 00-" + TRACE + "-" + PARENT + "-00\r\n\r\n");

            String[] sent = parts(origin.lastRequest().header("traceparent").orElseThrow());
            assertThat(sent[1]).isEqualTo(TRACE);
            assertThat(sent[3]).isEqualTo("00");
            assertThat(recorder.outcome.get(5, TimeUnit.SECONDS).timings()).isEmpty();
        }
    }

    @Test
    void samplingZeroStartsUnsampledTraces() throws Exception {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "server: { forwarding: { trace-context: { sampling: 0 } } }\n")) {
            send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(parts(origin.lastRequest().header("traceparent").orElseThrow())[3]).isEqualTo("00");
            assertThat(recorder.outcome.get(5, TimeUnit.SECONDS).timings()).isEmpty();
        }
    }

    @Test
    void withoutAFilterThatReadsTimingsNothingIsTimed() throws Exception {
        Recorder recorder = new Recorder(false);
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "")) {
            send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\ntraceparent: " + TRACEPARENT + "\r\n\r\n");

            assertThat(parts(origin.lastRequest().header("traceparent").orElseThrow())[1]).isEqualTo(TRACE);
            assertThat(recorder.seen.get().orElseThrow().sampled()).isTrue();
            assertThat(recorder.outcome.get(5, TimeUnit.SECONDS).timings()).isEmpty();
        }
    }

    @Test
    void aShortCircuitIsTimedWithoutAttempt() throws Exception {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "")) {
            assertThat(send(proxy, "GET /local HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 403");

            List<Timing> timings = recorder.outcome.get(5, TimeUnit.SECONDS).timings();
            assertThat(timings).extracting(Timing::kind).containsExactly(Timing.Kind.EXCHANGE, Timing.Kind.FILTER_HOOK);
            assertThat(timings.get(1).result()).isEqualTo("answered");
            assertThat(timings.get(0).status()).isEqualTo(403);
        }
    }

    @Test
    void aFailedAttemptIsTimedWithItsFailure() throws Exception {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "")) {
            origin.kill();
            assertThat(send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 502");

            List<Timing> timings = recorder.outcome.get(5, TimeUnit.SECONDS).timings();
            assertThat(timings).filteredOn(t -> t.kind() == Timing.Kind.UPSTREAM_ATTEMPT).singleElement()
                    .satisfies(attempt -> assertThat(attempt.result()).isIn("connect_failure", "reset")); // as the killed origin goes
        }
    }

    @Test
    void switchedOffTheFieldsPassUntouched() throws Exception {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = proxy(origin, recorder, "server: { forwarding: { trace-context: { enabled: false } } }\n")) {
            send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\ntraceparent: " + TRACEPARENT + "\r\ntracestate: rojo=1\r\n\r\n");

            assertThat(origin.lastRequest().header("traceparent")).hasValue(TRACEPARENT);
            assertThat(origin.lastRequest().header("tracestate")).hasValue("rojo=1");
            assertThat(recorder.seen.get()).isEmpty();
            assertThat(recorder.outcome.get(5, TimeUnit.SECONDS).timings()).isEmpty();
        }
    }
}
