package io.gatehouse.plugins.accesslog;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.TraceContext;
import io.gatehouse.api.Upstream;

import java.util.Optional;

/**
 * What one access-log line says about one exchange, read once from the exchange and its
 * {@link Outcome} when it ended, with redaction applied. Immutable. Absent values are empty.
 *
 * @param startMillis when the request head arrived, in epoch milliseconds
 * @param requestId the request id ({@link Keys#REQUEST_ID})
 * @param exchangeId the proxy's own id of the exchange ({@link Exchange#id()})
 * @param client the client's address ({@link Exchange#clientIp()})
 * @param method the request method
 * @param path the request path (normalised, as the origin got it)
 * @param query the query, redacted
 * @param protocol the client's protocol, such as {@code HTTP/1.1}
 * @param host the request's authority
 * @param outcome how the exchange ended
 * @param userAgent the request's {@code User-Agent}, or {@code REDACTED}
 * @param referer the request's {@code Referer}, or {@code REDACTED}
 * @param traceId the exchange's W3C trace id ({@link Exchange#trace()}, continued or started by the
 *     server); when the server keeps no trace context, that of a well-formed {@code traceparent}
 * @param consumer the authenticated consumer ({@link Keys#CONSUMER})
 * @param cacheStatus {@link Keys#CACHE_STATUS}
 * @param canarySide {@link Keys#CANARY_SIDE}
 * @param requestHeaders the request fields, as the filters left them (read only by patterns)
 * @param responseHeaders the response fields, empty when no response head was made
 */
record LogRecord(long startMillis, Optional<String> requestId, String exchangeId, String client, String method, String path,
                 Optional<String> query, String protocol, String host, Outcome outcome, Optional<String> userAgent,
                 Optional<String> referer, Optional<String> traceId, Optional<String> consumer,
                 Optional<String> cacheStatus, Optional<String> canarySide, HttpFields requestHeaders,
                 HttpFields responseHeaders) {

    /**
     * Reads a record on the thread that ran {@code onComplete}.
     *
     * @param exchange the exchange that ended
     * @param outcome how it ended
     * @param nowMillis the wall clock at the end
     * @param redaction what to hide
     * @return the record
     */
    static LogRecord of(Exchange exchange, Outcome outcome, long nowMillis, Redaction redaction) {
        HttpFields request = exchange.request().headers();
        HttpFields response = exchange.response().map(ResponseHead::headers).map(h -> (HttpFields) h).orElse(HttpFields.of());
        return new LogRecord(nowMillis - outcome.durationNanos() / 1_000_000, exchange.attribute(Keys.REQUEST_ID),
                exchange.id(), exchange.clientIp().getHostAddress(), exchange.request().method(), exchange.request().path(),
                exchange.request().query().map(redaction::query), exchange.request().protocol(),
                exchange.request().authority(), outcome, redaction.header(request, "User-Agent"),
                redaction.header(request, "Referer"), traceId(exchange), exchange.attribute(Keys.CONSUMER),
                exchange.attribute(Keys.CACHE_STATUS), exchange.attribute(Keys.CANARY_SIDE), request, response);
    }

    /** @return the upstream of the last attempt as a URL */
    Optional<String> upstream() {
        return outcome.upstream().map(Upstream::toString);
    }

    /** @return the path with its (redacted) query, as in a request line */
    String target() {
        return query.isPresent() ? path + "?" + query.get() : path;
    }

    /** The exchange's trace id, or without a trace context in the server, that of the request's {@code traceparent}. */
    static Optional<String> traceId(Exchange exchange) {
        return exchange.trace().map(TraceContext::traceId).or(() -> traceId(exchange.request().headers()));
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}), if well-formed and not all zeros. */
    static Optional<String> traceId(HttpFields request) {
        Optional<String> parent = request.first("traceparent");
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        String value = parent.get().trim();
        if (value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-') {
            return Optional.empty();
        }
        String id = value.substring(3, 35);
        boolean nonZero = false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return Optional.empty();
            }
            nonZero |= c != '0';
        }
        return nonZero ? Optional.of(id) : Optional.empty();
    }
}
