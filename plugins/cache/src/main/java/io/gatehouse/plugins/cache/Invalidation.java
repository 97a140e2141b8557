package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Entries dropped on request: {@code PURGE} with the configured token, and the URIs a
 * successful unsafe request changes (RFC 9111 §4.4). Both address primary keys, so every
 * variant of a URI goes, whatever its scheme, route or {@code Vary} values.
 */
final class Invalidation {

    static final String PURGE_TOKEN = "X-Purge-Token";

    private final CacheStore store;
    private final CacheKey key;
    private final Optional<byte[]> token;

    Invalidation(CacheStore store, CacheKey key, Optional<String> purgeToken) {
        this.store = store;
        this.key = key;
        this.token = purgeToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** @return whether {@code PURGE} requests are the cache's (a token is configured) */
    boolean purging() {
        return token.isPresent();
    }

    /**
     * {@code PURGE /path} drops every variant of that URI; {@code PURGE /prefix*} every URI under
     * the prefix, on the request's host. Only with the configured token in {@code X-Purge-Token}.
     */
    Response purge(RequestHead request) {
        byte[] given = request.headers().first(PURGE_TOKEN).orElse("").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token.orElseThrow(), given)) {
            return Response.text(403, "Forbidden: PURGE needs the purge token");
        }
        String target = CacheKey.clientTarget(request);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        int purged;
        if (path.endsWith("*")) {
            purged = store.invalidatePrefix(CacheKey.prefix(request.authority(), path.substring(0, path.length() - 1)));
        } else {
            String primary = key.primary(request);
            purged = store.hasKey(primary) ? 1 : 0;
            store.invalidate(primary);
        }
        return Response.text(200, "purged " + purged);
    }

    /** A successful unsafe request invalidates its target and its Location and Content-Location on the same origin (§4.4). */
    void unsafeRequestSucceeded(RequestHead request, HttpFields response) {
        store.invalidate(key.primary(request));
        for (String field : List.of("Location", "Content-Location")) {
            response.first(field).ifPresent(value -> {
                try {
                    URI uri = URI.create(request.scheme() + "://" + request.authority() + "/").resolve(value.trim());
                    if (uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(request.authority())) {
                        store.invalidate(key.primary(uri.getRawAuthority(),
                                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
                                uri.getRawQuery() == null ? "" : uri.getRawQuery(), request));
                    }
                } catch (IllegalArgumentException e) {
                    // not a URI: nothing to invalidate
                }
            });
        }
    }
}
