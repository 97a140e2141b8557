package io.gatehouse.api.http;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.PluginConfig;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What identifies a client or a session for hashing, affinity or limits, as configured:
 * <ul>
 *   <li>{@code header:NAME}: the first value of a request header;</li>
 *   <li>{@code cookie:NAME}: the value of a cookie ({@link Cookies});</li>
 *   <li>{@code client-ip}: the client's address as resolved through the trusted proxies
 *       ({@link Exchange#clientIp()}), e.g. {@code 203.0.113.7} or {@code 2001:db8::1}.</li>
 * </ul>
 * Parsed once at start-up; {@link #of} is then cheap and never fails. Immutable.
 *
 * <pre>{@code
 * // parseConfig
 * RequestKey key = RequestKey.from(config, "key");     // ConfigException names filters[i].config.key
 * // onRequest
 * Optional<String> value = key.of(exchange);
 * }</pre>
 *
 * @since 0.2
 */
public final class RequestKey {

    /** What the grammar allows, for messages. */
    public static final String FORMS = "header:NAME, cookie:NAME or client-ip";

    private enum Kind { HEADER, COOKIE, CLIENT_IP }

    private final Kind kind;
    private final String name;
    private final String spec;

    private RequestKey(Kind kind, String name, String spec) {
        this.kind = kind;
        this.name = name;
        this.spec = spec;
    }

    /**
     * Parses {@code header:NAME}, {@code cookie:NAME} or {@code client-ip}; NAME is a token.
     *
     * @param spec the text
     * @return the key
     * @throws IllegalArgumentException when the text has none of these forms
     */
    public static RequestKey parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String text = spec.trim();
        if (text.equals("client-ip")) {
            return new RequestKey(Kind.CLIENT_IP, "", text);
        }
        if (text.startsWith("header:") && SetCookie.isToken(text.substring(7))) {
            return new RequestKey(Kind.HEADER, text.substring(7), text);
        }
        if (text.startsWith("cookie:") && SetCookie.isToken(text.substring(7))) {
            return new RequestKey(Kind.COOKIE, text.substring(7), text);
        }
        throw new IllegalArgumentException("expected " + FORMS + ", got \"" + spec + "\"");
    }

    /**
     * Reads a required key from a plugin's configuration.
     *
     * @param config the section
     * @param key the child key holding the spec
     * @return the request key
     * @throws ConfigException naming the full key when absent or malformed
     */
    public static RequestKey from(PluginConfig config, String key) {
        String text = config.getString(key);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.path(key), e.getMessage());
        }
    }

    /**
     * The key's value in a request.
     *
     * @param exchange the exchange
     * @return the value, or empty when the request has no such header or cookie
     */
    public Optional<String> of(Exchange exchange) {
        return switch (kind) {
            case HEADER -> exchange.request().headers().first(name);
            case COOKIE -> Cookies.get(exchange.request().headers(), name);
            case CLIENT_IP -> Optional.of(text(exchange.clientIp()));
        };
    }

    /** An address as text, without an IPv6 scope. */
    private static String text(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = text.indexOf('%');
            if (zone >= 0) {
                return text.substring(0, zone);
            }
        }
        return text;
    }

    /** @return the spec, e.g. {@code cookie:session} */
    @Override
    public String toString() {
        return spec;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RequestKey that && spec.equals(that.spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }
}
