package io.gatehouse.plugins.tracing;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Timing;
import io.gatehouse.api.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.StatusData;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a sampled exchange's timings into spans: one {@code SERVER} span for the exchange with
 * the exchange's span id, one {@code INTERNAL} child per filter hook (new span ids), one {@code
 * CLIENT} child per upstream attempt with the span id the origin received as parent in its
 * {@code traceparent}. Attributes follow the OpenTelemetry HTTP semantic conventions, plus a few
 * {@code gatehouse.*} ones. Thread-safe (immutable).
 */
final class ExchangeSpans {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("gatehouse.request_id");
    static final AttributeKey<String> EXCHANGE_ID = AttributeKey.stringKey("gatehouse.exchange_id");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("gatehouse.route");
    static final AttributeKey<String> CLUSTER = AttributeKey.stringKey("gatehouse.cluster");
    static final AttributeKey<String> FILTER = AttributeKey.stringKey("gatehouse.filter");
    static final AttributeKey<String> HOOK = AttributeKey.stringKey("gatehouse.hook");
    static final AttributeKey<String> RESULT = AttributeKey.stringKey("gatehouse.result");

    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final boolean hooks;

    /**
     * @param resource the resource of every span
     * @param scope the instrumentation scope of every span
     * @param hooks whether filter hooks become spans
     */
    ExchangeSpans(Resource resource, InstrumentationScopeInfo scope, boolean hooks) {
        this.resource = resource;
        this.scope = scope;
        this.hooks = hooks;
    }

    /**
     * @param exchange the exchange that ended
     * @param outcome its outcome
     * @return its spans, the server span first; empty when it was not sampled
     */
    List<TimedSpan> of(Exchange exchange, Outcome outcome) {
        List<Timing> timings = outcome.timings();
        if (timings.isEmpty() || exchange.trace().isEmpty() || timings.get(0).kind() != Timing.Kind.EXCHANGE) {
            return List.of();
        }
        TraceContext trace = exchange.trace().get();
        TraceState state = traceState(trace.traceState());
        SpanContext server = SpanContext.create(trace.traceId(), trace.spanId(), TraceFlags.getSampled(), state);
        SpanContext caller = trace.parentSpanId()
                .map(parent -> SpanContext.createFromRemoteParent(trace.traceId(), parent, TraceFlags.getSampled(), state))
                .orElse(SpanContext.getInvalid());
        List<TimedSpan> spans = new ArrayList<>(timings.size());
        spans.add(serverSpan(exchange, outcome, timings.get(0), server, caller));
        for (Timing step : timings.subList(1, timings.size())) {
            if (step.kind() == Timing.Kind.UPSTREAM_ATTEMPT && step.spanId().isPresent()) {
                spans.add(attemptSpan(exchange, step, SpanContext.create(trace.traceId(), step.spanId().get(),
                        TraceFlags.getSampled(), state), server));
            } else if (step.kind() == Timing.Kind.FILTER_HOOK && hooks) {
                spans.add(hookSpan(step, SpanContext.create(trace.traceId(), newSpanId(), TraceFlags.getSampled(), state), server));
            }
        }
        return spans;
    }

    private TimedSpan serverSpan(Exchange exchange, Outcome outcome, Timing step, SpanContext context, SpanContext caller) {
        AttributesBuilder attributes = Attributes.builder()
                .put(METHOD, exchange.request().method())
                .put(SCHEME, exchange.request().scheme())
                .put(PATH, exchange.request().path())
                .put(SERVER_ADDRESS, host(exchange.request().authority()))
                .put(CLIENT_ADDRESS, exchange.clientIp().getHostAddress())
                .put(PROTOCOL_VERSION, version(exchange.request().protocol()))
                .put(EXCHANGE_ID, exchange.id())
                .put(RESULT, step.result());
        if (outcome.status() > 0) {
            attributes.put(STATUS, (long) outcome.status());
        }
        exchange.request().headers().first("User-Agent").ifPresent(agent -> attributes.put(USER_AGENT, agent));
        exchange.attribute(Keys.REQUEST_ID).ifPresent(id -> attributes.put(REQUEST_ID, id));
        outcome.route().ifPresent(route -> attributes.put(ROUTE, route));
        outcome.cluster().ifPresent(cluster -> attributes.put(CLUSTER, cluster));
        StatusData status = StatusData.unset();
        if (outcome.kind() == Outcome.Kind.ABORTED || outcome.status() >= 500) {
            String error = outcome.detail().orElse(outcome.status() >= 500 ? Integer.toString(outcome.status()) : "aborted");
            attributes.put(ERROR_TYPE, error);
            status = StatusData.create(StatusCode.ERROR, error);
        }
        return new TimedSpan(exchange.request().method(), SpanKind.SERVER, context, caller, step.startEpochNanos(),
                step.endEpochNanos(), attributes.build(), status, resource, scope);
    }

    private TimedSpan attemptSpan(Exchange exchange, Timing step, SpanContext context, SpanContext server) {
        URI upstream = URI.create(step.name());
        AttributesBuilder attributes = Attributes.builder()
                .put(METHOD, exchange.request().method())
                .put(SERVER_ADDRESS, upstream.getHost())
                .put(SERVER_PORT, (long) upstream.getPort())
                .put(URL, step.name() + exchange.request().path())
                .put(RESULT, step.result());
        long attempt = Long.parseLong(step.operation());
        if (attempt > 1) {
            attributes.put(RESEND_COUNT, attempt - 1);
        }
        StatusData status = StatusData.unset();
        if (step.status() > 0) {
            attributes.put(STATUS, (long) step.status());
        }
        if (!step.result().equals("response")) {
            attributes.put(ERROR_TYPE, step.result());
            status = StatusData.create(StatusCode.ERROR, step.result());
        } else if (step.status() >= 500) {
            attributes.put(ERROR_TYPE, Integer.toString(step.status()));
            status = StatusData.error();
        }
        return new TimedSpan(exchange.request().method(), SpanKind.CLIENT, context, server, step.startEpochNanos(),
                step.endEpochNanos(), attributes.build(), status, resource, scope);
    }

    private TimedSpan hookSpan(Timing step, SpanContext context, SpanContext server) {
        Attributes attributes = Attributes.of(FILTER, step.name(), HOOK, step.operation(), RESULT, step.result());
        StatusData status = step.result().equals("failed") || step.result().equals("timeout")
                ? StatusData.create(StatusCode.ERROR, step.result()) : StatusData.unset();
        return new TimedSpan(step.name() + " " + step.operation(), SpanKind.INTERNAL, context, server, step.startEpochNanos(),
                step.endEpochNanos(), attributes, status, resource, scope);
    }

    /** @return a new random span id, 16 lowercase hex digits, not all zero */
    static String newSpanId() {
        long bits;
        do {
            bits = ThreadLocalRandom.current().nextLong();
        } while (bits == 0);
        String hex = Long.toHexString(bits);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** The {@code tracestate} the server kept (already validated and bounded) as OpenTelemetry's value. */
    static TraceState traceState(String value) {
        if (value.isEmpty()) {
            return TraceState.getDefault();
        }
        TraceStateBuilder builder = TraceState.builder();
        String[] members = value.split(",");
        for (int i = members.length - 1; i >= 0; i--) { // put() adds to the front: keep the order
            int equals = members[i].indexOf('=');
            if (equals > 0) {
                builder.put(members[i].substring(0, equals), members[i].substring(equals + 1));
            }
        }
        return builder.build();
    }

    private static String host(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close > 0 ? authority.substring(1, close) : authority;
        }
        int colon = authority.lastIndexOf(':');
        return colon > 0 ? authority.substring(0, colon) : authority;
    }

    private static String version(String protocol) {
        return protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
    }
}
