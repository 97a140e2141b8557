package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.http.RequestKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What a limit counts by ({@code key:}): one of {@code client-ip} (the client as resolved
 * through the trusted proxies), {@code header:NAME}, {@code cookie:NAME}, {@code consumer} (set
 * by an authentication filter, {@link Keys#CONSUMER}), {@code route} (set by a router) or
 * {@code global} (one counter for every request), or a list of them for a combination. A
 * request that lacks a part (no consumer, no such header) is not subject to the limit. Values
 * longer than {@value #MAX_PLAIN} characters are replaced by their SHA-256, so a key costs
 * bounded memory. Immutable.
 */
final class KeySpec {

    /** What the grammar allows, for messages. */
    static final String FORMS = "client-ip, header:NAME, cookie:NAME, consumer, route or global, or a list of them";
    static final int MAX_PLAIN = 128;

    private interface Part {
        Optional<String> of(Exchange exchange);
    }

    private final List<Part> parts;
    private final String text;

    private KeySpec(List<Part> parts, String text) {
        this.parts = List.copyOf(parts);
        this.text = text;
    }

    /**
     * @param config the limit's section
     * @param key the child key holding the spec
     * @return the key spec
     * @throws ConfigException naming the key, for a missing or malformed spec
     */
    static KeySpec from(PluginConfig config, String key) {
        List<String> specs = config.getStringList(key);
        if (specs.isEmpty()) {
            throw new ConfigException(config.path(key), "required value is missing (" + FORMS + ")");
        }
        List<Part> parts = new ArrayList<>();
        for (String spec : specs) {
            try {
                parts.add(part(spec.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path(key), "expected " + FORMS + ", got \"" + spec + "\"");
            }
        }
        return new KeySpec(parts, String.join("+", specs.stream().map(String::trim).toList()));
    }

    /**
     * @param spec such as {@code client-ip} or {@code [consumer, route]} written as {@code consumer+route}
     * @return the key spec
     * @throws IllegalArgumentException when a part has none of the forms
     */
    static KeySpec parse(String spec) {
        List<Part> parts = new ArrayList<>();
        for (String part : spec.split("\\+")) {
            parts.add(part(part.trim()));
        }
        return new KeySpec(parts, spec);
    }

    private static Part part(String spec) {
        return switch (spec) {
            case "consumer" -> exchange -> exchange.attribute(Keys.CONSUMER);
            case "route" -> Exchange::route;
            case "global" -> exchange -> Optional.of("*");
            default -> {
                RequestKey key = RequestKey.parse(spec);
                yield key::of;
            }
        };
    }

    /**
     * @param exchange the exchange
     * @return the key of this request, or empty when it lacks a part
     */
    Optional<String> of(Exchange exchange) {
        if (parts.size() == 1) {
            return parts.get(0).of(exchange).map(KeySpec::bounded);
        }
        StringBuilder joined = new StringBuilder();
        for (Part part : parts) {
            Optional<String> value = part.of(exchange);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            // Length-prefixed, so that no choice of values makes two combinations look alike.
            joined.append(value.get().length()).append(':').append(value.get()).append('|');
        }
        return Optional.of(bounded(joined.toString()));
    }

    /** @return {@code value}, or {@code #} and its SHA-256 (base64url) when it is longer than {@value #MAX_PLAIN} */
    static String bounded(String value) {
        if (value.length() <= MAX_PLAIN) {
            return value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @return the spec as configured, parts joined with {@code +}, e.g. {@code consumer+route} */
    @Override
    public String toString() {
        return text;
    }

    /** Equal when written the same: a reload keeps the limiter's buckets only for an unchanged configuration. */
    @Override
    public boolean equals(Object other) {
        return other instanceof KeySpec that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
