package io.gatehouse.plugins.cors;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which origins may read responses: any ({@code *}), exact serialized origins, wildcard
 * subdomains ({@code https://*.example.com}) and full-match regular expressions compiled at
 * start-up. Immutable. An origin is compared as the browser serialized it (RFC 6454: scheme and
 * host lower case, no default port, no path); {@code null} matches only when listed.
 *
 * @param any whether every origin may read (the answer is then {@code *})
 * @param exact exact origins, {@code null} included when listed
 * @param wildcards wildcard subdomain origins
 * @param patterns regular expressions an origin must match whole
 */
record AllowedOrigins(boolean any, Set<String> exact, List<WildcardOrigin> wildcards, List<Pattern> patterns) {

    AllowedOrigins {
        exact = Set.copyOf(exact);
        wildcards = List.copyOf(wildcards);
        patterns = List.copyOf(patterns);
    }

    /**
     * @param origin the request's {@code Origin} value
     * @return whether it may read the response
     */
    boolean allows(String origin) {
        if (any || exact.contains(origin)) {
            return true;
        }
        for (WildcardOrigin wildcard : wildcards) {
            if (wildcard.matches(origin)) {
                return true;
            }
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(origin).matches()) {
                return true;
            }
        }
        return false;
    }
}
