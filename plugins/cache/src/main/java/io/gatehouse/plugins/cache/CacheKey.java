package io.gatehouse.plugins.cache;

import io.gatehouse.api.RequestHead;
import io.gatehouse.api.http.PathNormalizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The primary cache key, the one purges and invalidations address: the host and target the
 * client asked for (RFC 9111 §2), GET and HEAD alike, before any filter rewrote the target.
 * Optionally the query's parameters are sorted or some are left out, and request headers are
 * added. Everything else that tells two requests for one URI apart (scheme, forwarded host,
 * route, upstream, {@code Vary}) is in the variant's key ({@link KeyContext}, {@link Variants}).
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

    /**
     * The target the client sent ({@link RequestHead#rawTarget()}), in the normal form the server
     * gave it before any filter ran: a router's rewrite does not change it.
     *
     * @param request the request
     * @return the client's target, normalised
     */
    static String clientTarget(RequestHead request) {
        String raw = request.rawTarget();
        try {
            return PathNormalizer.normalizeTarget(raw); // the same string, without allocating, when already normal
        } catch (IllegalArgumentException e) {
            return raw; // the server refuses such targets before any filter runs
        }
    }

    /** @return the primary key of the client's request */
    String primary(RequestHead request) {
        return primary(request, clientTarget(request));
    }

    /** @return the primary key of the client's request, whose {@link #clientTarget} is {@code target} */
    String primary(RequestHead request, String target) {
        int q = target.indexOf('?');
        return q < 0 ? primary(request.authority(), target, "", request)
                : primary(request.authority(), target.substring(0, q), target.substring(q + 1), request);
    }

    /** The primary key of a URI on the request's origin (an invalidated {@code Location}, say). */
    String primary(String authority, String path, String query, RequestHead request) {
        StringBuilder key = new StringBuilder(authority.length() + path.length() + query.length() + 8)
                .append(authority.toLowerCase(Locale.ROOT)).append(path);
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

    /** @return the primary keys' prefix for every URI under {@code pathPrefix} of a host (for purges) */
    static String prefix(String authority, String pathPrefix) {
        return authority.toLowerCase(Locale.ROOT) + pathPrefix;
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
