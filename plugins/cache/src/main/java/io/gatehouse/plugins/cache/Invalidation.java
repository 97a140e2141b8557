package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;
import io.gatehouse.plugins.cache.fanout.FanOut;
import io.gatehouse.plugins.cache.fanout.InvalidationMessage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Entries dropped on request: {@code PURGE} with the configured token, and the URIs a
 * successful unsafe request changes (RFC 9111 §4.4). Both address primary keys, so every
 * variant of a URI goes, whatever its scheme, route or {@code Vary} values. Each invalidation is
 * also handed to the {@link FanOut}, which applies it on the other instances.
 */
final class Invalidation {

    static final String PURGE_TOKEN = "X-Purge-Token";

    private final CacheStore store;
    private final CacheKey key;
    private final Optional<byte[]> token;
    private final FanOut fanOut;

    Invalidation(CacheStore store, CacheKey key, Optional<String> purgeToken, FanOut fanOut) {
        this.store = store;
        this.key = key;
        this.token = purgeToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.fanOut = fanOut;
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
            String prefix = CacheKey.prefix(request.authority(), path.substring(0, path.length() - 1));
            purged = store.invalidatePrefix(prefix);
            fanOut.publish(new InvalidationMessage(InvalidationMessage.Kind.PREFIX, prefix));
        } else {
            String primary = key.primary(request);
            purged = store.hasKey(primary) ? 1 : 0;
            dropEverywhere(primary);
        }
        return Response.text(200, "purged " + purged);
    }

    /** A successful unsafe request invalidates its target and its Location and Content-Location on the same origin (§4.4). */
    void unsafeRequestSucceeded(RequestHead request, HttpFields response) {
        dropEverywhere(key.primary(request));
        for (String field : List.of("Location", "Content-Location")) {
            response.first(field).ifPresent(value -> {
                try {
                    URI uri = URI.create(request.scheme() + "://" + request.authority() + "/").resolve(value.trim());
                    if (uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(request.authority())) {
                        dropEverywhere(key.primary(uri.getRawAuthority(),
                                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
                                uri.getRawQuery() == null ? "" : uri.getRawQuery(), request));
                    }
                } catch (IllegalArgumentException e) {
                    // not a URI: nothing to invalidate
                }
            });
        }
    }

    private void dropEverywhere(String primary) {
        store.invalidate(primary);
        fanOut.publish(new InvalidationMessage(InvalidationMessage.Kind.KEY, primary));
    }

    /** Applies another instance's invalidation here (not published again). */
    void apply(InvalidationMessage message) {
        switch (message.kind()) {
            case KEY -> store.invalidate(message.key());
            case PREFIX -> store.invalidatePrefix(message.key());
        }
    }

    /** @return the fan-out's state, for the admin {@code /status} */
    String fanOutState() {
        return fanOut.state();
    }

    /** Starts the fan-out (in the background). */
    void startFanOut() {
        fanOut.start();
    }

    /** Stops the fan-out. */
    void close() {
        fanOut.close();
    }
}
