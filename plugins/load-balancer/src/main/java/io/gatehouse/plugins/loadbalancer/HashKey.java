package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;

import java.util.Optional;

/**
 * What {@code consistent-hash} hashes: {@code header:NAME}, {@code cookie:NAME},
 * {@code client-ip} or {@code path}.
 *
 * @param kind which part of the request
 * @param name the header or cookie name
 */
record HashKey(Kind kind, String name) {

    enum Kind { HEADER, COOKIE, CLIENT_IP, PATH }

    /**
     * @param spec the configured key
     * @return the key
     * @throws IllegalArgumentException when the form is unknown
     */
    static HashKey parse(String spec) {
        if (spec.equals("client-ip")) {
            return new HashKey(Kind.CLIENT_IP, "");
        }
        if (spec.equals("path")) {
            return new HashKey(Kind.PATH, "");
        }
        if (spec.startsWith("header:") && spec.length() > 7) {
            return new HashKey(Kind.HEADER, spec.substring(7));
        }
        if (spec.startsWith("cookie:") && spec.length() > 7) {
            return new HashKey(Kind.COOKIE, spec.substring(7));
        }
        throw new IllegalArgumentException("expected header:NAME, cookie:NAME, client-ip or path, got \"" + spec + "\"");
    }

    /**
     * @param exchange the request
     * @return the value to hash, empty when the request has none (it is then balanced at random)
     */
    Optional<String> of(Exchange exchange) {
        return switch (kind) {
            case HEADER -> exchange.request().headers().first(name);
            case COOKIE -> Cookies.value(exchange.request().headers().all("Cookie"), name);
            case CLIENT_IP -> Optional.of(exchange.clientAddress().getAddress().getHostAddress());
            case PATH -> Optional.of(exchange.request().path());
        };
    }
}
