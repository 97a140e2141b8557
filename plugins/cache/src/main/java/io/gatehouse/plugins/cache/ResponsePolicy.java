package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The configured part of reading an origin's response: which directives this cache obeys
 * (targeted fields, RFC 9213), how long a response is fresh, how a 304 updates a stored head, and
 * which fields never leave the proxy.
 */
final class ResponsePolicy {

    /** Fields of a 304 that must not replace the stored ones (RFC 9111 §3.2). */
    private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding", "transfer-encoding", "content-range");

    private final CacheConfig config;

    ResponsePolicy(CacheConfig config) {
        this.config = config;
    }

    /**
     * The directives this cache obeys: the first valid targeted field present (RFC 9213: a
     * Structured Field dictionary; an invalid one is ignored), else Cache-Control.
     */
    Directives directives(HttpFields response) {
        for (String field : config.targetedFields()) {
            List<String> values = response.all(field);
            if (!values.isEmpty()) {
                Optional<Directives> targeted = Directives.parseTargeted(values);
                if (targeted.isPresent()) {
                    return targeted.get();
                }
            }
        }
        return Directives.parse(response.all("Cache-Control"));
    }

    /** @return whether the response has a valid field targeted at this cache (its directives then address it alone) */
    boolean targeted(HttpFields response) {
        for (String field : config.targetedFields()) {
            List<String> values = response.all(field);
            if (!values.isEmpty() && StructuredDictionary.parse(values).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The freshness lifetime ({@link Freshness#lifetime}); never a heuristic one for a request
     * with a {@code Cookie} (its response may be made for that client; Varnish passes such
     * requests, nginx never uses heuristics).
     */
    long lifetime(int status, HttpFields requestHeaders, HttpFields response, Directives directives, long now) {
        double heuristic = requestHeaders.contains("Cookie") ? 0 : config.heuristicPercent();
        return Freshness.lifetime(status, response, directives, now, heuristic, config.heuristicMax());
    }

    /** A 304 updates the stored head (RFC 9111 §4.3.4) and restarts the entry's age. */
    Entry refreshed(Entry stale, HttpFields requestHeaders, HttpFields update, long requestTime, long now) {
        MutableHttpFields headers = MutableHttpFields.create();
        stale.headers().forEach((name, value) -> {
            if (!update.contains(name) || NOT_UPDATED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(name, value);
            }
        });
        update.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_UPDATED.contains(lower) && !lower.equals("age") && !lower.equalsIgnoreCase(CacheFilter.STATUS)) {
                headers.add(name, value);
            }
        });
        HttpFields merged = headers.toImmutable();
        Directives directives = directives(merged);
        long lifetime = lifetime(stale.status(), requestHeaders, merged, directives, now);
        return new Entry(stale.status(), merged, stale.content(), requestTime, now, Freshness.initialAge(update, requestTime, now),
                lifetime, directives, stale.vary());
    }

    /** @return the response head's fields as stored: without Age and Cache-Status */
    static HttpFields storedFields(ResponseHead response) {
        MutableHttpFields stored = MutableHttpFields.create();
        response.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Age") && !name.equalsIgnoreCase(CacheFilter.STATUS)) {
                stored.add(name, value);
            }
        });
        return stored.toImmutable();
    }

    /** Sets Cache-Status on a response passing through and removes the fields that never leave the proxy. */
    void finish(ResponseHead response, String cacheStatus) {
        response.headers().set(CacheFilter.STATUS, cacheStatus);
        for (String field : config.stripFields()) {
            response.headers().remove(field);
        }
    }

    /** @return the answer without the fields that never leave the proxy */
    Response withoutStrippedFields(Response response) {
        if (config.stripFields().stream().noneMatch(f -> response.headers().contains(f))) {
            return response;
        }
        Response.Builder copy = Response.status(response.status());
        response.headers().forEach((name, value) -> {
            if (config.stripFields().stream().noneMatch(name::equalsIgnoreCase)) {
                copy.header(name, value);
            }
        });
        return copy.body(response).build();
    }

    /** @return the entry's Vary fields with the request's values for them */
    static List<Entry.VaryField> vary(HttpFields stored, HttpFields requestHeaders) {
        List<Entry.VaryField> vary = new ArrayList<>();
        for (String line : stored.all("Vary")) {
            for (String name : line.split(",")) {
                String field = name.trim().toLowerCase(Locale.ROOT);
                if (!field.isEmpty()) {
                    vary.add(new Entry.VaryField(field, Entry.varyValue(requestHeaders, field)));
                }
            }
        }
        return vary;
    }
}
