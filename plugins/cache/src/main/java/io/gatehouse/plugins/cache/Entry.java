package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
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

    /** Longer varying request values are kept as a digest ({@link #varyValue}). */
    static final int LONGEST_KEPT_VALUE = 64;
    /** What a Java object costs besides its content, roughly: header, references, padding. */
    static final int OVERHEAD = 48;

    Entry {
        vary = List.copyOf(vary);
    }

    /** An entry over a body just collected, taken over without a copy (nothing else holds it). */
    Entry(int status, HttpFields headers, byte[] body, long requestTime, long responseTime, long initialAge, long lifetime,
          Directives directives, List<VaryField> vary) {
        this(status, headers, Response.status(status).adoptBody(body).build(), requestTime, responseTime, initialAge, lifetime,
                directives, vary);
    }

    /** @return the body's length in bytes */
    int bodyLength() {
        return content.bodyLength();
    }

    /**
     * @param name a request field named by {@code Vary}, lower case
     * @param value the request's value for it as {@link #varyValue} gives it; empty when absent
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

    /**
     * @return bytes it costs the store, everything it holds: body, head fields, parsed directives
     *     and the varying request values, each with an estimate of its objects' overhead (field
     *     values are ISO-8859-1, one byte per character)
     */
    long weight() {
        long[] size = {8L * OVERHEAD + content.bodyLength() + directives.weight()};
        headers.forEach((name, value) -> size[0] += 2 * OVERHEAD + name.length() + value.length());
        for (VaryField field : vary) {
            size[0] += 3 * OVERHEAD + field.name().length() + field.value().map(String::length).orElse(0);
        }
        return size[0];
    }

    /**
     * The value a request has for a Vary field, as variants compare it: its lines joined,
     * whitespace around commas removed and runs of whitespace made one space, then {@code =} and
     * the value when it is at most {@value #LONGEST_KEPT_VALUE} characters long, otherwise
     * {@code #} and its SHA-256 digest (so a variant never holds a long request value).
     *
     * @param requestHeaders the request's fields
     * @param name the field's name
     * @return the value, empty when the request has no such field
     */
    static Optional<String> varyValue(HttpFields requestHeaders, String name) {
        List<String> values = requestHeaders.all(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String normal = normalise(values.size() == 1 ? values.get(0) : String.join(",", values));
        return Optional.of(normal.length() <= LONGEST_KEPT_VALUE ? "=" + normal : "#" + digest(normal));
    }

    /** Whitespace around commas removed, runs of whitespace made one space, trimmed. */
    private static String normalise(String value) {
        if (isNormal(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                space = true;
            } else {
                if (space && c != ',' && out.length() > 0 && out.charAt(out.length() - 1) != ',') {
                    out.append(' ');
                }
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isNormal(String value) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\t' || (c == ' ' && (i == 0 || i == n - 1 || value.charAt(i - 1) == ' ' || value.charAt(i - 1) == ','
                    || value.charAt(i + 1) == ','))) {
                return false;
            }
        }
        return true;
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
