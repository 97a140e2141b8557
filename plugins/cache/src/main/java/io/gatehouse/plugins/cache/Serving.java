package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether a stored entry may answer a request (RFC 9111 §4, RFC 5861), and the answer built
 * from it.
 */
final class Serving {

    private Serving() {
    }

    /** Fresh enough for this request: RFC 9111 §4.2, with the request's max-age, min-fresh and max-stale (§5.2.1). */
    static boolean usable(Entry entry, Directives request, long now) {
        long age = entry.age(now);
        long ttl = entry.ttl(now);
        if (request.seconds("max-age").isPresent() && age > request.seconds("max-age").getAsLong()) {
            return false;
        }
        if (request.seconds("min-fresh").isPresent() && ttl < request.seconds("min-fresh").getAsLong()) {
            return false;
        }
        if (ttl > 0) {
            return true;
        }
        if (mayServeStale(entry) && request.has("max-stale")) {
            return request.seconds("max-stale").isEmpty() || -ttl <= request.seconds("max-stale").getAsLong();
        }
        return false;
    }

    /** @return whether the request or the entry asks for validation with the origin before reuse ({@code no-cache}, {@code Pragma}) */
    static boolean mustValidate(Entry entry, Directives request, boolean pragmaNoCache) {
        return request.has("no-cache") || entry.directives().has("no-cache") || (request.isEmpty() && pragmaNoCache);
    }

    /** stale-while-revalidate (RFC 5861 §3): stale by no more than its window, and revalidation not required. */
    static boolean staleWhileRevalidate(Entry entry, long now) {
        OptionalLong window = entry.directives().seconds("stale-while-revalidate");
        return mayServeStale(entry) && window.isPresent() && -entry.ttl(now) <= window.getAsLong();
    }

    /** stale-if-error (RFC 5861 §4), from the stored response or the request, unless revalidation is required. */
    static boolean staleIfError(Entry stale, Directives errorResponse, Directives request, long now) {
        if (!mayServeStale(stale)) {
            return false;
        }
        long staleness = -stale.ttl(now);
        long allowed = Math.max(stale.directives().seconds("stale-if-error").orElse(-1),
                Math.max(request.seconds("stale-if-error").orElse(-1), errorResponse.seconds("stale-if-error").orElse(-1)));
        return allowed >= 0 && staleness <= allowed;
    }

    private static boolean mayServeStale(Entry entry) {
        Directives directives = entry.directives();
        return !(directives.has("must-revalidate") || directives.has("proxy-revalidate") || directives.has("s-maxage"));
    }

    /**
     * The stored response (or a 304 when the client's conditional matches it), with Age and Cache-Status.
     *
     * @param conditional whether the request may have conditional fields (false: it has none, they are not looked for)
     */
    static Response serve(Entry entry, RequestHead request, boolean conditional, long now, String cacheStatus) {
        return serve(entry, conditional && clientConditionalMatches(entry, request.headers(), now), now, cacheStatus);
    }

    /** As {@link #serve(Entry, RequestHead, boolean, long, String)}, for a revalidation: the conditionals were the cache's own. */
    static Response serve(Entry entry, boolean notModified, long now, String cacheStatus) {
        Response.Builder response = Response.status(notModified ? 304 : entry.status());
        entry.headers().forEach((name, value) -> {
            if (!notModified || !name.toLowerCase(Locale.ROOT).startsWith("content-")) {
                response.header(name, value);
            }
        });
        response.header("Age", Long.toString(entry.age(now)));
        response.header(CacheFilter.STATUS, cacheStatus);
        if (!notModified) {
            response.body(entry.content()); // shared, not copied: one stored body serves every hit
        }
        return response.build();
    }

    /** RFC 9110 §13.1.2 (weak comparison) and §13.1.3; If-Modified-Since only without If-None-Match. */
    private static boolean clientConditionalMatches(Entry entry, HttpFields request, long now) {
        List<String> noneMatch = request.all("If-None-Match");
        if (!noneMatch.isEmpty()) {
            if (entry.etag().isEmpty()) {
                return false;
            }
            String etag = weak(entry.etag().get());
            for (String line : noneMatch) {
                for (String tag : line.split(",")) {
                    if (tag.trim().equals("*") || weak(tag.trim()).equals(etag)) {
                        return true;
                    }
                }
            }
            return false;
        }
        Optional<Long> since = request.first("If-Modified-Since").flatMap(v -> Freshness.date(v, now));
        Optional<Long> modified = entry.lastModified().flatMap(v -> Freshness.date(v, now));
        return since.isPresent() && modified.isPresent() && modified.get() <= since.get();
    }

    private static String weak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
