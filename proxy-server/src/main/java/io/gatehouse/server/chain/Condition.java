package io.gatehouse.server.chain;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.http.PathNormalizer;
import io.gatehouse.server.config.WhenSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A compiled {@code when:} condition. Compiled once at start-up; evaluation does not allocate.
 * Paths are matched in their normal form ({@link PathNormalizer}), the form the origin receives.
 */
public final class Condition {

    private static final Condition ALWAYS = new Condition(List.of());

    private final List<Predicate<Exchange>> parts;

    private Condition(List<Predicate<Exchange>> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Compiles a condition.
     *
     * @param spec the parsed {@code when} section
     * @return the condition
     */
    public static Condition compile(WhenSpec spec) {
        if (spec.always()) {
            return ALWAYS;
        }
        List<Predicate<Exchange>> parts = new ArrayList<>();
        if (!spec.route().isEmpty()) {
            List<String> routes = spec.route();
            parts.add(exchange -> exchange.route().map(routes::contains).orElse(false));
        }
        if (!spec.hosts().isEmpty()) {
            List<String> hosts = lower(spec.hosts());
            parts.add(exchange -> matchesAnyHost(hosts, exchange.request().host()));
        }
        if (!spec.pathPrefixes().isEmpty()) {
            List<String> prefixes = spec.pathPrefixes().stream().map(Condition::normalPrefix).toList();
            parts.add(exchange -> matchesAnyPrefix(prefixes, normalPath(exchange.request().path())));
        }
        if (!spec.methods().isEmpty()) {
            List<String> methods = spec.methods().stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
            parts.add(exchange -> methods.contains(exchange.request().method()));
        }
        for (Map.Entry<String, String> header : spec.headers().entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (value.equals("*")) {
                parts.add(exchange -> exchange.request().headers().contains(name));
            } else {
                parts.add(exchange -> exchange.request().headers().all(name).contains(value));
            }
        }
        return new Condition(parts);
    }

    /** @return a condition that always holds */
    public static Condition always() {
        return ALWAYS;
    }

    /**
     * @param exchange the exchange
     * @return whether every part holds
     */
    public boolean test(Exchange exchange) {
        for (int i = 0; i < parts.size(); i++) {
            if (!parts.get(i).test(exchange)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Matches a host against an exact name or a {@code *.suffix} wildcard (one or more labels),
     * ignoring case and a trailing dot.
     *
     * @param pattern lower-case pattern
     * @param host the request host
     * @return whether it matches
     */
    static boolean matchesHost(String pattern, String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return h.length() > suffix.length() && h.regionMatches(true, h.length() - suffix.length(), suffix, 0, suffix.length());
        }
        return pattern.equalsIgnoreCase(h);
    }

    /**
     * Matches a path prefix on segment boundaries: {@code /api} matches {@code /api} and
     * {@code /api/x}, not {@code /apix}.
     *
     * @param prefix the prefix, normalised ({@link #normalPrefix})
     * @param path the request path, normalised
     * @return whether it matches
     */
    static boolean matchesPrefix(String prefix, String path) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        return path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
    }

    /**
     * A configured prefix in the form it is matched in: normalised as request paths are, without
     * a trailing slash ({@code /admin/} covers {@code /admin} too, as in the router), except the
     * root {@code /}.
     *
     * @param prefix a prefix starting with {@code /}
     * @return its matching form
     * @throws IllegalArgumentException when it cannot be normalised
     */
    static String normalPrefix(String prefix) {
        String normal = PathNormalizer.normalize(prefix);
        return normal.length() > 1 && normal.endsWith("/") ? normal.substring(0, normal.length() - 1) : normal;
    }

    /**
     * The core normalised the client's path at intake; a filter may have set a target since,
     * which is taken as written. Conditions match its normal form all the same, so no spelling
     * walks around them. A normal path comes back as it is, without allocating.
     */
    private static String normalPath(String path) {
        if (!path.startsWith("/")) {
            return path; // OPTIONS *
        }
        try {
            return PathNormalizer.normalize(path);
        } catch (IllegalArgumentException e) {
            return path; // only a filter can set such a target: compared as written
        }
    }

    private static boolean matchesAnyHost(List<String> patterns, String host) {
        for (String pattern : patterns) {
            if (matchesHost(pattern, host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAnyPrefix(List<String> prefixes, String path) {
        for (String prefix : prefixes) {
            if (matchesPrefix(prefix, path)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }
}
