package io.gatehouse.plugins.auth;

import io.gatehouse.api.HttpFields;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from, as one mechanism established it. Immutable.
 *
 * @param mechanism the mechanism that authenticated it ({@code api-key}, {@code basic}, {@code jwt}, {@code forward})
 * @param consumer the consumer's name (set as {@code Keys.CONSUMER}); empty when the mechanism named none
 *     (a forward-auth service without {@code consumer-header}, or an anonymous request)
 * @param groups the consumer's groups
 * @param scopes the token's scopes (JWT only)
 * @param claims the token's claims (JWT only): strings, numbers, booleans, lists and maps as parsed
 * @param upstreamHeaders fields to set on the proxy→origin request (forward auth's copied answer fields)
 */
record Identity(String mechanism, Optional<String> consumer, Set<String> groups, Set<String> scopes,
                Map<String, Object> claims, HttpFields upstreamHeaders) {

    /** The identity of a request that passed without credentials ({@code anonymous: true}, or forward auth failing open). */
    static final Identity ANONYMOUS = new Identity("anonymous", Optional.empty(), Set.of(), Set.of(), Map.of(), HttpFields.empty());

    Identity {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(consumer, "consumer");
        groups = Set.copyOf(groups);
        scopes = Set.copyOf(scopes);
        claims = Map.copyOf(claims);
        Objects.requireNonNull(upstreamHeaders, "upstreamHeaders");
    }

    /**
     * @param mechanism the mechanism
     * @param consumer the consumer
     * @param groups its groups
     * @return an identity without scopes, claims or extra fields
     */
    static Identity of(String mechanism, String consumer, Set<String> groups) {
        return new Identity(mechanism, Optional.of(consumer), groups, Set.of(), Map.of(), HttpFields.empty());
    }

    /** @return whether no mechanism established who this is */
    boolean anonymous() {
        return consumer.isEmpty() && mechanism.equals("anonymous");
    }
}
