package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;

import java.util.Optional;

/**
 * Whether a shared cache may store a response (RFC 9111 §3), with the reason when it may not.
 * Stricter than the RFC in three documented ways: responses with {@code Set-Cookie}, and
 * responses with a {@code private} directive qualified or not, are never stored; responses to
 * requests with a {@code Cookie} are stored only when they address shared caches explicitly
 * ({@code public}, {@code s-maxage}, or a field targeted at this cache).
 */
final class Storability {

    /**
     * The statuses whose caching rules this cache implements, for {@code must-understand}: those
     * cacheable by default, the redirects, and no partial content (never stored).
     */
    static final java.util.Set<Integer> UNDERSTOOD = java.util.Set.of(200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501);

    private Storability() {
    }

    /**
     * @param method the request method
     * @param requestHeaders the request headers
     * @param requestDirectives the request's Cache-Control
     * @param status the response status
     * @param responseHeaders the response headers
     * @param directives the response directives this cache obeys
     * @param targeted whether they come from a field targeted at this cache (RFC 9213)
     * @return empty when the response may be stored, otherwise why not
     */
    static Optional<String> refusal(String method, HttpFields requestHeaders, Directives requestDirectives, int status,
                                    HttpFields responseHeaders, Directives directives, boolean targeted) {
        if (!method.equals("GET")) {
            return Optional.of("method");
        }
        if (requestHeaders.contains("Range") || status == 206) {
            return Optional.of("partial");
        }
        if (status < 200 || status == 304) {
            return Optional.of("status");
        }
        boolean mustUnderstand = directives.has("must-understand");
        if (mustUnderstand && !UNDERSTOOD.contains(status)) { // RFC 9111 §5.2.2.3
            return Optional.of("must-understand");
        }
        if (requestDirectives.has("no-store") || (directives.has("no-store") && !mustUnderstand)) {
            return Optional.of("no-store");
        }
        if (directives.has("private")) {
            return Optional.of("private");
        }
        if (requestHeaders.contains("Authorization")
                && !(directives.has("must-revalidate") || directives.has("public") || directives.has("s-maxage"))) {
            return Optional.of("authorization");
        }
        if (requestHeaders.contains("Cookie") && !(targeted || directives.has("public") || directives.has("s-maxage"))) {
            return Optional.of("cookie");
        }
        if (responseHeaders.all("Vary").stream().anyMatch(v -> v.contains("*"))) {
            return Optional.of("vary-star");
        }
        if (responseHeaders.contains("Set-Cookie")) {
            return Optional.of("set-cookie");
        }
        boolean explicit = directives.has("public") || directives.has("max-age") || directives.has("s-maxage")
                || responseHeaders.contains("Expires");
        if (!explicit && !Freshness.HEURISTICALLY_CACHEABLE.contains(status)) {
            return Optional.of("status");
        }
        return Optional.empty();
    }

    /**
     * @param headers a response head to be stored
     * @return its {@code Content-Length}, -1 when absent or not a number: a body of another length
     *     is never stored (it would be served as complete)
     */
    static long declaredLength(HttpFields headers) {
        try {
            return headers.first("Content-Length").map(value -> Long.parseLong(value.trim())).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
