package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.http.PathNormalizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One entry of {@code access:}: which requests it covers ({@code methods}, {@code path-prefix},
 * {@code route}; all given must hold, none given covers every request) and what it asks of their
 * identity ({@code require}, {@code deny}). Immutable.
 *
 * @param methods upper-case methods, empty for all
 * @param pathPrefixes normalised path prefixes, empty for all
 * @param routes route names, empty for all
 * @param require what must hold
 * @param deny what must not
 */
record AccessRule(Set<String> methods, List<String> pathPrefixes, List<String> routes, Optional<Requirement> require,
                  Optional<Requirement> deny) {

    private static final Set<String> KEYS = Set.of("methods", "path-prefix", "route", "require", "deny");

    static AccessRule parse(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        List<String> prefixes = new ArrayList<>();
        List<String> raw = config.getStringList("path-prefix");
        for (int i = 0; i < raw.size(); i++) {
            try {
                String prefix = PathNormalizer.normalize(raw.get(i));
                prefixes.add(prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path("path-prefix") + "[" + i + "]", e.getMessage());
            }
        }
        AccessRule rule = new AccessRule(
                config.getStringList("methods").stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()),
                List.copyOf(prefixes), config.getStringList("route"),
                config.has("require") ? Optional.of(Requirement.parse(config.getSection("require"))) : Optional.empty(),
                config.has("deny") ? Optional.of(Requirement.parse(config.getSection("deny"))) : Optional.empty());
        if (rule.require.isEmpty() && rule.deny.isEmpty()) {
            throw new ConfigException(config.path("require"), "an access rule needs require or deny");
        }
        return rule;
    }

    /**
     * @param exchange the exchange
     * @return whether this rule covers it
     */
    boolean covers(Exchange exchange) {
        if (!methods.isEmpty() && !methods.contains(exchange.request().method())) {
            return false;
        }
        if (!routes.isEmpty() && exchange.route().map(r -> !routes.contains(r)).orElse(true)) {
            return false;
        }
        if (pathPrefixes.isEmpty()) {
            return true;
        }
        String path = exchange.request().path();
        for (String prefix : pathPrefixes) {
            if (prefix.equals("/") || path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
