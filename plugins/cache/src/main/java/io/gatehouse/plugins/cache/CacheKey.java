package io.gatehouse.plugins.cache;

import io.gatehouse.api.RequestHead;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The primary cache key: scheme, host and target, GET and HEAD alike (RFC 9111 §2). Optionally
 * the query's parameters are sorted or some are left out, and request headers are added.
 *
 * @param sortQuery whether {@code ?b=1&a=2} and {@code ?a=2&b=1} are the same key
 * @param ignoredParameters query parameters that do not count (tracking parameters, say)
 * @param headers request headers whose values become part of the key
 */
record CacheKey(boolean sortQuery, Set<String> ignoredParameters, List<String> headers) {

    static final CacheKey DEFAULT = new CacheKey(false, Set.of(), List.of());

    CacheKey {
        ignoredParameters = Set.copyOf(ignoredParameters);
        headers = List.copyOf(headers);
    }

    String of(RequestHead request) {
        return of(request.scheme(), request.authority(), request.path(), request.query().orElse(""), request);
    }

    /** The key of another URI on the same origin (an invalidated {@code Location}, say). */
    String of(String scheme, String authority, String path, String query, RequestHead request) {
        StringBuilder key = new StringBuilder(scheme).append("://").append(authority.toLowerCase(Locale.ROOT)).append(path);
        String q = query(query);
        if (!q.isEmpty()) {
            key.append('?').append(q);
        }
        for (String header : headers) {
            key.append('\n').append(header.toLowerCase(Locale.ROOT)).append(':')
                    .append(String.join(",", request.headers().all(header)));
        }
        return key.toString();
    }

    /** @return the key's prefix for every URI under {@code pathPrefix} of an origin (for purges) */
    static String prefix(String scheme, String authority, String pathPrefix) {
        return scheme + "://" + authority.toLowerCase(Locale.ROOT) + pathPrefix;
    }

    /**
     * The query as the key holds it. A parameter is left out only when its name is ignored and
     * its pair holds no {@code ;}: many origins split queries on {@code ;} as well as {@code &},
     * so {@code utm_source=x;callback=evil} may carry a parameter that counts, and dropping it
     * would let the stored answer stand for another origin request ("parameter cloaking").
     */
    private String query(String query) {
        if (query.isEmpty() || (!sortQuery && ignoredParameters.isEmpty())) {
            return query;
        }
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (!pair.isEmpty() && (!ignoredParameters.contains(name) || pair.indexOf(';') >= 0)) {
                kept.add(pair);
            }
        }
        if (sortQuery) {
            kept.sort(null);
        }
        return String.join("&", kept);
    }
}
