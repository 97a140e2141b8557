package io.gatehouse.plugins.transform;

import io.gatehouse.api.BodyRejectedException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.metrics.FilterMetrics;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Applies the configured edits: on the request (headers, path, query, body) in {@code onRequest},
 * on the response (headers, body) in {@code onResponse}. Body edits apply only to bodies of a
 * fitting type: JSON edits to {@code application/json} and {@code +json}, text replacements to
 * text, JSON, XML and JavaScript.
 */
final class TransformFilter implements ProxyFilter {

    private final TransformConfig config;
    private final FilterMetrics.Counter passedUnchanged;
    private final LongAdder passedUnchangedCount = new LongAdder();

    TransformFilter(TransformConfig config, FilterContext context) {
        this.config = config;
        this.passedUnchanged = context.metrics().counter("bodies.unchanged", "reason", "over-max-size");
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        Side request = config.request();
        request.headers().apply(exchange.request().headers(), exchange);
        String target = exchange.request().target();
        String rewritten = config.path().map(path -> path.apply(target)).orElse(target);
        if (!config.query().isEmpty()) {
            rewritten = config.query().apply(rewritten, exchange);
        }
        if (!rewritten.equals(target)) {
            exchange.request().setTarget(rewritten);
        }
        if (request.editsBody() && exchange.request().bodyLength().orElse(1) != 0) {
            Optional<String> type = exchange.request().headers().first("Content-Type");
            request.json().filter(json -> isJson(type)).ifPresent(json -> exchange.transformRequestBody(new WholeBodyEdit(json.maxSize(), true,
                    body -> json.apply(body, exchange).orElseThrow(() -> new BodyRejectedException(400, "request body is not a JSON object")),
                    () -> { })));
            request.replace().filter(replace -> isText(type)).ifPresent(replace -> exchange.transformRequestBody(
                    new WholeBodyEdit(replace.maxSize(), true, replace::apply, () -> { })));
        }
        return FilterResult.proceed();
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<ResponseHead> head = exchange.response();
        if (head.isEmpty()) {
            return FilterResult.proceed();
        }
        Side response = config.response();
        response.headers().apply(head.get().headers(), exchange);
        Optional<String> type = head.get().headers().first("Content-Type");
        boolean encoded = head.get().headers().all("Content-Encoding").stream().anyMatch(value -> !value.trim().equalsIgnoreCase("identity"));
        if (response.editsBody() && !encoded) {
            response.json().filter(json -> isJson(type)).ifPresent(json -> exchange.transformResponseBody(new WholeBodyEdit(json.maxSize(), false,
                    body -> json.apply(body, exchange).orElse(body), this::passedUnchanged)));
            response.replace().filter(replace -> isText(type)).ifPresent(replace -> exchange.transformResponseBody(
                    new WholeBodyEdit(replace.maxSize(), false, replace::apply, this::passedUnchanged)));
        }
        return FilterResult.proceed();
    }

    private void passedUnchanged() {
        passedUnchanged.increment();
        passedUnchangedCount.increment();
    }

    private static String mediaType(Optional<String> contentType) {
        String value = contentType.orElse("");
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    static boolean isJson(Optional<String> contentType) {
        String type = mediaType(contentType);
        return type.equals("application/json") || type.endsWith("+json");
    }

    static boolean isText(Optional<String> contentType) {
        String type = mediaType(contentType);
        return type.startsWith("text/") || isJson(contentType) || type.endsWith("/xml") || type.endsWith("+xml")
                || type.equals("application/javascript");
    }

    @Override
    public Optional<String> status() {
        return Optional.of("transform: " + passedUnchangedCount.sum() + " response bodies over max-size passed unchanged\n");
    }
}
