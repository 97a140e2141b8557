package io.gatehouse.plugins.tracing;

import com.google.protobuf.ByteString;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Spans exported over OTLP to an in-test collector, through the real server, in front of real origins. */
class OtlpExportIntegrationTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    static Optional<AnyValue> attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue).findFirst();
    }

    static String config(Collector collector, String more) {
        return "filters:\n  - type: tracing\n    config: { endpoint: \"" + collector.endpoint() + "\""
                + (more.contains("batch:") ? "" : ", batch: { delay: 50ms }") + more + " }\n";
    }

    private static String send(EmbeddedGatehouse proxy, String request) {
        try (RawConnection raw = proxy.raw()) {
            return raw.send(request).readResponse();
        }
    }

    @Test
    void oneServerSpanWithAChildPerHookAndPerAttemptWhoseIdsMatchWhatTheOriginSaw() throws Exception {
        try (Collector collector = Collector.start();
             TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).filters(new TracingFilterFactory())
                     .config(config(collector, ", service-name: edge, resource: [\"deployment.environment.name=test\"],"
                             + " headers: { Authorization: \"Bearer k\" }")).start()) {
            String response = send(proxy, "GET /orders?x=1 HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: t/1\r\ntraceparent: 00-"
                    + TRACE + "-" + PARENT + "-01\r\ntracestate: rojo=1\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 200");
            String[] sent = origin.lastRequest().header("traceparent").orElseThrow().split("-");

            List<Collector.Received> received = collector.awaitSpans(4);
            assertThat(received).hasSize(4);
            assertThat(received).allSatisfy(r -> {
                assertThat(hex(r.span().getTraceId())).isEqualTo(TRACE);
                assertThat(attribute(r.resource().getResource().getAttributesList(), "service.name").orElseThrow()
                        .getStringValue()).isEqualTo("edge");
                assertThat(attribute(r.resource().getResource().getAttributesList(), "deployment.environment.name")
                        .orElseThrow().getStringValue()).isEqualTo("test");
                assertThat(r.scope().getScope().getName()).isEqualTo("io.gatehouse.tracing");
            });
            assertThat(collector.contentTypes()).allMatch(type -> type.equals("application/x-protobuf"));
            assertThat(collector.authorizations()).allMatch(value -> value.equals("Bearer k"));

            List<Span> spans = received.stream().map(Collector.Received::span).collect(Collectors.toList());
            Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
            assertThat(hex(server.getParentSpanId())).as("the client's span").isEqualTo(PARENT);
            assertThat(server.getName()).isEqualTo("GET");
            assertThat(server.getTraceState()).isEqualTo("rojo=1");
            assertThat(attribute(server.getAttributesList(), "http.request.method").orElseThrow().getStringValue()).isEqualTo("GET");
            assertThat(attribute(server.getAttributesList(), "url.path").orElseThrow().getStringValue()).isEqualTo("/orders");
            assertThat(attribute(server.getAttributesList(), "http.response.status_code").orElseThrow().getIntValue()).isEqualTo(200);
            assertThat(attribute(server.getAttributesList(), "server.address").orElseThrow().getStringValue()).isEqualTo("shop.example");
            assertThat(attribute(server.getAttributesList(), "user_agent.original").orElseThrow().getStringValue()).isEqualTo("t/1");
            assertThat(attribute(server.getAttributesList(), "gatehouse.request_id")).isPresent();
            String serverId = hex(server.getSpanId());

            Span client = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).collect(
                    Collectors.toList()).get(0);
            assertThat(hex(client.getSpanId())).as("the parent the origin saw").isEqualTo(sent[2]);
            assertThat(hex(client.getParentSpanId())).isEqualTo(serverId);
            assertThat(attribute(client.getAttributesList(), "server.port").orElseThrow().getIntValue()).isEqualTo(origin.port());
            assertThat(attribute(client.getAttributesList(), "url.full").orElseThrow().getStringValue())
                    .isEqualTo(origin.url() + "/orders");

            List<Span> hooks = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_INTERNAL).collect(Collectors.toList());
            assertThat(hooks).extracting(Span::getName).containsExactlyInAnyOrder("tracing#0 onRequest", "tracing#0 onResponse");
            assertThat(hooks).allSatisfy(hook -> assertThat(hex(hook.getParentSpanId())).isEqualTo(serverId));

            for (Span child : List.of(client, hooks.get(0), hooks.get(1))) {
                assertThat(child.getStartTimeUnixNano()).isGreaterThanOrEqualTo(server.getStartTimeUnixNano());
                assertThat(child.getEndTimeUnixNano()).isLessThanOrEqualTo(server.getEndTimeUnixNano());
            }
            long now = System.currentTimeMillis() * 1_000_000L;
            assertThat(server.getStartTimeUnixNano()).isBetween(now - 60_000_000_000L, now);
        }
    }

    /** Routes to the first origin, then (on its 503) retries on the second. */
    static final class TwoOrigins implements ProxyFilterFactory<String> {
        private final List<Upstream> upstreams;

        TwoOrigins(TestOrigin first, TestOrigin second) {
            upstreams = List.of(Upstream.parse(first.url()), Upstream.parse(second.url()));
        }

        @Override
        public String type() {
            return "two-origins";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            UpstreamSelector selector = new UpstreamSelector() {
                @Override
                public Optional<Upstream> select(Exchange exchange, int attempt) {
                    return Optional.of(upstreams.get(Math.min(attempt, 2) - 1));
                }

                @Override
                public Optional<Duration> retry(Exchange exchange, int attempt, io.gatehouse.api.AttemptResult result) {
                    return attempt == 1 && result.status() == 503 ? Optional.of(Duration.ZERO) : Optional.empty();
                }
            };
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    exchange.setUpstreamSelector(selector);
                    return FilterResult.proceed();
                }
            };
        }
    }

    @Test
    void eachAttemptIsAClientSpanWhoseIdIsTheParentThatOriginSaw() throws Exception {
        try (Collector collector = Collector.start();
             TestOrigin busy = TestOrigin.start(Reply.status(503));
             TestOrigin ok = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().filters(new TracingFilterFactory(), new TwoOrigins(busy, ok))
                     .config(config(collector, ", hooks: false") + "  - type: two-origins\n").start()) {
            assertThat(send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200");

            List<Span> spans = collector.awaitSpans(3).stream().map(Collector.Received::span).collect(Collectors.toList());
            assertThat(spans).extracting(Span::getKind).containsExactlyInAnyOrder(Span.SpanKind.SPAN_KIND_SERVER,
                    Span.SpanKind.SPAN_KIND_CLIENT, Span.SpanKind.SPAN_KIND_CLIENT);
            Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
            assertThat(server.getParentSpanId().isEmpty()).as("a trace started here").isTrue();
            Span first = clientSpanTo(spans, busy);
            Span second = clientSpanTo(spans, ok);
            assertThat(hex(first.getSpanId())).isEqualTo(busy.lastRequest().header("traceparent").orElseThrow().split("-")[2]);
            assertThat(hex(second.getSpanId())).isEqualTo(ok.lastRequest().header("traceparent").orElseThrow().split("-")[2]);
            assertThat(first.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(attribute(second.getAttributesList(), "http.request.resend_count").orElseThrow().getIntValue()).isEqualTo(1);
            assertThat(hex(first.getParentSpanId())).isEqualTo(hex(server.getSpanId()));
            assertThat(hex(second.getParentSpanId())).isEqualTo(hex(server.getSpanId()));
            assertThat(hex(server.getTraceId())).isEqualTo(ok.lastRequest().header("traceparent").orElseThrow().split("-")[1]);
        }
    }

    private static Span clientSpanTo(List<Span> spans, TestOrigin origin) {
        return spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
                .filter(s -> attribute(s.getAttributesList(), "server.port").orElseThrow().getIntValue() == origin.port())
                .findFirst().orElseThrow();
    }

    @Test
    void unsampledExchangesAreNotExported() throws Exception {
        try (Collector collector = Collector.start();
             TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).filters(new TracingFilterFactory())
                     .config("server: { forwarding: { trace-context: { sampling: 0 } } }\n" + config(collector, "")).start()) {
            send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
            send(proxy, "GET /b HTTP/1.1\r\nHost: a\r\ntraceparent: 00-" + TRACE + "-" + PARENT + "-01\r\n\r\n");

            List<Collector.Received> spans = collector.awaitSpans(1);
            assertThat(spans).allSatisfy(r -> assertThat(hex(r.span().getTraceId())).as("only the sampled caller's").isEqualTo(TRACE));
            assertThat(proxy.status("tracing#0").orElseThrow()).startsWith("spans: ");
        }
    }

    @Test
    void aStuckCollectorCostsSpansNeverRequests() throws Exception {
        try (Collector collector = Collector.start();
             TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).filters(new TracingFilterFactory())
                     .config(config(collector, ", hooks: false, timeout: 5s, batch: { queue: 4, size: 2, delay: 10ms }")).start()) {
            collector.hold();
            for (int i = 0; i < 20; i++) {
                assertThat(send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.status("tracing#0").orElseThrow(),
                    status -> !status.contains(" 0 dropped"));
            collector.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> count(proxy, "exported") + count(proxy, "dropped") == 40);
            String status = proxy.status("tracing#0").orElseThrow();
            long exported = count(proxy, "exported"); // a server and a client span per exchange, 20 exchanges
            assertThat(exported).as(status).isPositive().isLessThanOrEqualTo(8); // the queue, plus a batch being sent
            assertThat(collector.spans()).hasSize((int) exported);
        }
    }

    @Test
    void anUnreachableCollectorCountsFailures() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).filters(new TracingFilterFactory())
                     .config("filters:\n  - type: tracing\n    config: { endpoint: \"http://127.0.0.1:" + closedPort()
                             + "/v1/traces\", timeout: 2s, batch: { delay: 10ms } }\n").start()) {
            assertThat(send(proxy, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200");
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.status("tracing#0").orElseThrow(),
                    status -> status.contains(" 4 failed"));
        }
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return a count from the filter's status line ({@code spans: 3 exported, 0 dropped (queue full), …}) */
    private static long count(EmbeddedGatehouse proxy, String what) {
        String status = proxy.status("tracing#0").orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) " + what).matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
