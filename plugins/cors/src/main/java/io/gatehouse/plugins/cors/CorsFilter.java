package io.gatehouse.plugins.cors;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Key;
import io.gatehouse.api.Keys;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.metrics.FilterMetrics;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One {@code cors} entry. A CORS preflight ({@code OPTIONS} with {@code Origin} and {@code
 * Access-Control-Request-Method}) is answered here, 204 or 403, and never forwarded. Any other
 * request goes on; its response gets {@code Access-Control-Allow-Origin} (and the credentials and
 * expose fields) when its origin is allowed, and {@code Vary: Origin} in every case, since the
 * answer depends on it. The origin's own {@code Access-Control-*} response fields are replaced:
 * the proxy owns CORS for the routes it applies to.
 */
final class CorsFilter implements ProxyFilter {

    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
    static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
    private static final String REQUEST_METHOD = "Access-Control-Request-Method";
    private static final String REQUEST_HEADERS = "Access-Control-Request-Headers";
    private static final String REQUEST_PRIVATE_NETWORK = "Access-Control-Request-Private-Network";
    private static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    /** The origin value to answer with, set in onRequest for an allowed origin. */
    private static final Key<String> ANSWER_ORIGIN = Key.of("cors.answer-origin", String.class);

    private final CorsConfig config;
    private final CompletionStage<FilterResult> originRefused;
    private final CompletionStage<FilterResult> methodRefused;
    private final CompletionStage<FilterResult> headerRefused;
    private final FilterMetrics.Counter answered;
    private final FilterMetrics.Counter refused;

    CorsFilter(CorsConfig config, FilterContext context) {
        this.config = config;
        this.originRefused = refusal("origin not allowed");
        this.methodRefused = refusal("method not allowed");
        this.headerRefused = refusal("request header not allowed");
        this.answered = context.metrics().counter("preflights", "answer", "allowed");
        this.refused = context.metrics().counter("preflights", "answer", "refused");
    }

    private static CompletionStage<FilterResult> refusal(String reason) {
        return FilterResult.respond(Response.status(403).header("Content-Type", "text/plain; charset=utf-8")
                .header("Vary", PREFLIGHT_VARY).body("CORS preflight refused: " + reason + "\n").build());
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        MutableHttpFields headers = exchange.request().headers();
        Optional<String> origin = headers.first("Origin");
        if (origin.isEmpty()) {
            return FilterResult.proceed();
        }
        if (exchange.request().method().equals("OPTIONS")) {
            Optional<String> method = headers.first(REQUEST_METHOD);
            if (method.isPresent()) {
                CompletionStage<FilterResult> answer = preflight(headers, origin.get(), method.get().strip());
                (isRefusal(answer) ? refused : answered).increment();
                return answer;
            }
        }
        if (!config.origins().any() && config.origins().allows(origin.get())) {
            exchange.setAttribute(ANSWER_ORIGIN, origin.get());
        }
        return FilterResult.proceed();
    }

    private boolean isRefusal(CompletionStage<FilterResult> answer) {
        return answer == originRefused || answer == methodRefused || answer == headerRefused;
    }

    private CompletionStage<FilterResult> preflight(MutableHttpFields headers, String origin, String method) {
        if (!config.origins().allows(origin)) {
            return originRefused;
        }
        if (config.anyMethod() ? !Tokens.isToken(method) : !config.methods().contains(method)) {
            return methodRefused;
        }
        Optional<String> requestedHeaders = requestedHeaders(headers);
        if (requestedHeaders.isPresent() && requestedHeaders.get().isEmpty()) {
            return headerRefused;
        }
        Response.Builder answer = Response.status(204)
                .header(ALLOW_ORIGIN, config.origins().any() ? "*" : origin);
        if (config.credentials()) {
            answer.header(ALLOW_CREDENTIALS, "true");
        }
        answer.header("Access-Control-Allow-Methods", config.anyMethod() ? method : config.allowMethodsValue());
        if (config.anyHeader()) {
            requestedHeaders.ifPresent(names -> answer.header("Access-Control-Allow-Headers", names));
        } else {
            config.allowHeadersValue().ifPresent(names -> answer.header("Access-Control-Allow-Headers", names));
        }
        config.maxAgeValue().ifPresent(seconds -> answer.header("Access-Control-Max-Age", seconds));
        if (config.privateNetwork() && headers.first(REQUEST_PRIVATE_NETWORK).filter("true"::equalsIgnoreCase).isPresent()) {
            answer.header("Access-Control-Allow-Private-Network", "true");
        }
        answer.header("Vary", PREFLIGHT_VARY);
        return FilterResult.respond(answer.build());
    }

    /**
     * The names of {@code Access-Control-Request-Headers} (all its fields), checked against the
     * allowed ones: empty when none was asked for, an empty string when one is not allowed (or
     * not a name), otherwise the names, lower case, comma-separated.
     */
    private Optional<String> requestedHeaders(MutableHttpFields headers) {
        List<String> fields = headers.all(REQUEST_HEADERS);
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder names = new StringBuilder();
        for (String field : fields) {
            for (String part : field.split(",")) {
                String name = part.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!Tokens.isToken(name) || (!config.anyHeader() && !config.headers().contains(name))) {
                    return Optional.of("");
                }
                names.append(names.length() == 0 ? "" : ", ").append(name);
            }
        }
        return names.length() == 0 ? Optional.empty() : Optional.of(names.toString());
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<ResponseHead> head = exchange.response();
        if (head.isEmpty()) {
            return FilterResult.proceed();
        }
        MutableHttpFields headers = head.get().headers();
        headers.remove(ALLOW_ORIGIN);
        headers.remove(ALLOW_CREDENTIALS);
        headers.remove(EXPOSE_HEADERS);
        if (config.origins().any()) {
            headers.set(ALLOW_ORIGIN, "*");
            config.exposeHeadersValue().ifPresent(names -> headers.set(EXPOSE_HEADERS, names));
            return FilterResult.proceed();
        }
        Optional<String> origin = exchange.attribute(ANSWER_ORIGIN);
        if (origin.isPresent()) {
            headers.set(ALLOW_ORIGIN, origin.get());
            if (config.credentials()) {
                headers.set(ALLOW_CREDENTIALS, "true");
            }
            config.exposeHeadersValue().ifPresent(names -> headers.set(EXPOSE_HEADERS, names));
        }
        VaryField.addOrigin(headers);
        return FilterResult.proceed();
    }

    @Override
    public List<String> explain(Exchange exchange) {
        MutableHttpFields headers = exchange.request().headers();
        Optional<String> origin = headers.first("Origin");
        if (origin.isEmpty()) {
            return List.of("no Origin: not a CORS request");
        }
        boolean allowed = config.origins().allows(origin.get());
        if (exchange.request().method().equals("OPTIONS") && headers.contains(REQUEST_METHOD)) {
            CompletionStage<FilterResult> answer = preflight(headers, origin.get(), headers.first(REQUEST_METHOD).orElseThrow().strip());
            int status = answer.toCompletableFuture().join().response().map(Response::status).orElse(204);
            exchange.setAttribute(Keys.EXPLAINED_ANSWER, status);
            return List.of("CORS preflight from " + origin.get() + " answered " + status + " here");
        }
        return List.of("origin " + origin.get() + (allowed ? " may read the response" : " is not allowed: no CORS fields on the response"));
    }
}
