package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conditions on an identity: {@code consumers}, {@code groups}, {@code scope} and {@code claims}.
 * As a requirement ({@code require:}) every condition given must hold: the consumer is one of
 * {@code consumers}, it is in one of {@code groups}, it has every scope of {@code scope}, and each
 * claim of {@code claims} has one of the values listed. As a denial ({@code deny:}) any one
 * condition that holds refuses the request. Immutable.
 *
 * @param consumers consumer names
 * @param groups group names
 * @param scopes scopes
 * @param claims claim name to accepted values
 */
record Requirement(Set<String> consumers, Set<String> groups, Set<String> scopes, Map<String, Set<String>> claims) {

    private static final Set<String> KEYS = Set.of("consumers", "groups", "scope", "claims");

    static Requirement parse(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        PluginConfig claimSection = config.getSection("claims");
        Map<String, Set<String>> claims = new LinkedHashMap<>();
        for (String claim : claimSection.keys()) {
            List<String> values = claimSection.getStringList(claim);
            if (values.isEmpty()) {
                throw new ConfigException(claimSection.path(claim), "give at least one value");
            }
            claims.put(claim, Set.copyOf(values));
        }
        Requirement parsed = new Requirement(ConfigChecks.names(config, "consumers"), ConfigChecks.names(config, "groups"),
                Set.copyOf(config.getStringList("scope")), Map.copyOf(claims));
        if (parsed.consumers.isEmpty() && parsed.groups.isEmpty() && parsed.scopes.isEmpty() && parsed.claims.isEmpty()) {
            throw new ConfigException(config.path("consumers"), "give consumers, groups, scope or claims");
        }
        return parsed;
    }

    /**
     * @param identity an authenticated identity
     * @return whether every condition holds
     */
    boolean allows(Identity identity) {
        return (consumers.isEmpty() || identity.consumer().map(consumers::contains).orElse(false))
                && (groups.isEmpty() || identity.groups().stream().anyMatch(groups::contains))
                && identity.scopes().containsAll(scopes)
                && claims.entrySet().stream().allMatch(c -> claimHas(identity, c.getKey(), c.getValue()));
    }

    /**
     * @param identity an authenticated identity
     * @return whether any condition holds
     */
    boolean matchesAny(Identity identity) {
        return identity.consumer().map(consumers::contains).orElse(false)
                || identity.groups().stream().anyMatch(groups::contains)
                || identity.scopes().stream().anyMatch(scopes::contains)
                || claims.entrySet().stream().anyMatch(c -> claimHas(identity, c.getKey(), c.getValue()));
    }

    /**
     * @param identity an identity
     * @return the required scopes it lacks
     */
    Set<String> missingScopes(Identity identity) {
        Set<String> missing = new HashSet<>(scopes);
        missing.removeAll(identity.scopes());
        return missing;
    }

    private static boolean claimHas(Identity identity, String claim, Set<String> accepted) {
        Object value = identity.claims().get(claim);
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(element -> element != null && accepted.contains(String.valueOf(element)));
        }
        return (value instanceof String || value instanceof Number || value instanceof Boolean) && accepted.contains(String.valueOf(value));
    }
}
