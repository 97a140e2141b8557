package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.http.RequestKey;

import java.util.Optional;

/**
 * What {@code consistent-hash} hashes: a {@link RequestKey} ({@code header:NAME},
 * {@code cookie:NAME}, {@code client-ip}) or {@code path}.
 *
 * @param key the request key, empty for {@code path}
 */
record HashKey(Optional<RequestKey> key) {

    /**
     * @param spec the configured key
     * @return the key
     * @throws IllegalArgumentException when the form is unknown
     */
    static HashKey parse(String spec) {
        if (spec.trim().equals("path")) {
            return new HashKey(Optional.empty());
        }
        try {
            return new HashKey(Optional.of(RequestKey.parse(spec)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected header:NAME, cookie:NAME, client-ip or path, got \"" + spec + "\"");
        }
    }

    /**
     * @param exchange the request
     * @return the value to hash, empty when the request has none (it is then balanced at random)
     */
    Optional<String> of(Exchange exchange) {
        return key.isPresent() ? key.get().of(exchange) : Optional.of(exchange.request().path());
    }

    @Override
    public String toString() {
        return key.map(RequestKey::toString).orElse("path");
    }
}
