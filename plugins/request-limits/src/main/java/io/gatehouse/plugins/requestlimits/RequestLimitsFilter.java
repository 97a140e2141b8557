package io.gatehouse.plugins.requestlimits;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;
import io.gatehouse.api.metrics.FilterMetrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * One {@code request-limits} entry: checks the request head in the order method, required
 * headers, body size, and answers the first breach itself. Every answer is prepared at start-up.
 */
final class RequestLimitsFilter implements ProxyFilter {

    private final RequestLimitsConfig config;
    private final CompletionStage<FilterResult> methodRefused;
    private final Map<String, CompletionStage<FilterResult>> headerMissing;
    private final CompletionStage<FilterResult> tooLarge;
    private final CompletionStage<FilterResult> lengthRequired;
    private final FilterMetrics.Counter refusedMethod;
    private final FilterMetrics.Counter refusedHeader;
    private final FilterMetrics.Counter refusedBody;

    RequestLimitsFilter(RequestLimitsConfig config, FilterContext context) {
        this.config = config;
        this.methodRefused = FilterResult.respond(Response.status(405).header("Allow", config.allowValue())
                .header("Content-Type", "text/plain; charset=utf-8").body("method not allowed here\n").build());
        this.headerMissing = config.requiredHeaders().stream().collect(Collectors.toUnmodifiableMap(name -> name,
                name -> FilterResult.respond(Response.text(400, "missing required header " + name))));
        this.tooLarge = FilterResult.respond(Response.text(413, "request body larger than " + config.maxBody().orElse(0) + " bytes"));
        this.lengthRequired = FilterResult.respond(Response.text(411, "a request body needs a Content-Length here"));
        this.refusedMethod = context.metrics().counter("refused", "reason", "method");
        this.refusedHeader = context.metrics().counter("refused", "reason", "header");
        this.refusedBody = context.metrics().counter("refused", "reason", "body");
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        CompletionStage<FilterResult> decision = decide(exchange.request());
        if (decision == methodRefused) {
            refusedMethod.increment();
        } else if (decision == tooLarge || decision == lengthRequired) {
            refusedBody.increment();
        } else if (decision != FilterResult.proceed()) {
            refusedHeader.increment();
        }
        return decision;
    }

    private CompletionStage<FilterResult> decide(RequestHead request) {
        if (config.methods().isPresent() && !config.methods().get().contains(request.method())) {
            return methodRefused;
        }
        List<String> required = config.requiredHeaders();
        for (int i = 0; i < required.size(); i++) {
            String name = required.get(i);
            if (request.headers().first(name).filter(value -> !value.isBlank()).isEmpty()) {
                return headerMissing.get(name);
            }
        }
        if (config.maxBody().isPresent()) {
            OptionalLong length = request.bodyLength();
            if (length.isEmpty()) {
                return config.chunked() == ChunkedBodies.REFUSE ? lengthRequired : FilterResult.proceed();
            }
            if (length.getAsLong() > config.maxBody().getAsLong()) {
                return tooLarge;
            }
        }
        return FilterResult.proceed();
    }

    @Override
    public List<String> explain(Exchange exchange) {
        Optional<Response> answer = decide(exchange.request()).toCompletableFuture().join().response();
        if (answer.isEmpty()) {
            return List.of("within the request limits");
        }
        exchange.setAttribute(Keys.EXPLAINED_ANSWER, answer.get().status());
        return List.of("refused with " + answer.get().status() + ": " + new String(answer.get().body()).strip());
    }
}
