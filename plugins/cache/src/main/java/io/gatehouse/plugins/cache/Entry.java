package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Response;

import java.util.List;
import java.util.Optional;

/**
 * One stored response: its head and body, when it was received, and what it varies on.
 *
 * @param status the status
 * @param headers the stored header fields (no hop-by-hop fields, no {@code Age})
 * @param content the body, held in an immutable response so that every hit shares it without a copy
 * @param requestTime when the request that fetched it was sent, epoch seconds
 * @param responseTime when it arrived, epoch seconds
 * @param initialAge its age on arrival (RFC 9111 §4.2.3)
 * @param lifetime its freshness lifetime in seconds
 * @param directives the response directives this cache obeys
 * @param vary the request fields it varies on, lower case, and the request's values for them
 */
record Entry(int status, HttpFields headers, Response content, long requestTime, long responseTime, long initialAge, long lifetime,
             Directives directives, List<VaryField> vary) {

    Entry {
        vary = List.copyOf(vary);
    }

    /** An entry over a body that is copied once, here. */
    Entry(int status, HttpFields headers, byte[] body, long requestTime, long responseTime, long initialAge, long lifetime,
          Directives directives, List<VaryField> vary) {
        this(status, headers, Response.status(status).body(body).build(), requestTime, responseTime, initialAge, lifetime,
                directives, vary);
    }

    /** @return the body's length in bytes */
    int bodyLength() {
        return content.bodyLength();
    }

    /**
     * @param name a request field named by {@code Vary}, lower case
     * @param value the request's value for it, whitespace-normalised; empty when absent
     */
    record VaryField(String name, Optional<String> value) {
    }

    /** @return the age now (RFC 9111 §4.2.3: corrected initial age plus resident time) */
    long age(long now) {
        return initialAge + Math.max(0, now - responseTime);
    }

    /** @return seconds of freshness left now; negative when stale */
    long ttl(long now) {
        return lifetime - age(now);
    }

    Optional<String> etag() {
        return headers.first("ETag");
    }

    Optional<String> lastModified() {
        return headers.first("Last-Modified");
    }

    /** @return bytes it costs the store: body plus an estimate for the head */
    int weight() {
        int[] size = {content.bodyLength() + 256};
        headers.forEach((name, value) -> size[0] += name.length() + value.length() + 32);
        return size[0];
    }

    /** @return whether it may serve a request with these fields (RFC 9111 §4.1) */
    boolean matches(HttpFields requestHeaders) {
        for (VaryField field : vary) {
            if (!field.value().equals(varyValue(requestHeaders, field.name()))) {
                return false;
            }
        }
        return true;
    }

    /** The value a request has for a Vary field: its lines joined, whitespace normalised. */
    static Optional<String> varyValue(HttpFields requestHeaders, String name) {
        List<String> values = requestHeaders.all(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(",", values).replaceAll("\\s*,\\s*", ",").replaceAll("\\s+", " ").trim());
    }
}
