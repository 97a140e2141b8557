package io.gatehouse.plugins.router;

import java.util.Locale;

/**
 * A route's {@code host} condition: an exact host name ({@code api.example.com}) or a wildcard
 * covering every name below a domain ({@code *.example.com} matches {@code a.example.com} and
 * {@code a.b.example.com}, not {@code example.com}). Compared in lower case, without port or
 * trailing dot.
 *
 * @param value the exact host, or the suffix with its leading dot ({@code .example.com}) for a wildcard
 * @param wildcard whether this is a wildcard
 */
record HostPattern(String value, boolean wildcard) {

    /**
     * @param spec the configured pattern
     * @return the pattern
     * @throws IllegalArgumentException when it is not a host name or {@code *.domain}
     */
    static HostPattern parse(String spec) {
        String host = normalize(spec);
        boolean wildcard = host.startsWith("*.");
        String name = wildcard ? host.substring(2) : host;
        if (name.isEmpty() || name.contains("*") || !name.chars().allMatch(HostPattern::isHostChar)) {
            throw new IllegalArgumentException("\"" + spec + "\" is not a host name or *.domain");
        }
        return new HostPattern(wildcard ? "." + name : name, wildcard);
    }

    /**
     * The form hosts are compared in: lower case, no port, no trailing dot.
     *
     * @param host a host as sent, possibly with a port, e.g. {@code API.Example.com.:8080} or {@code [::1]:80}
     * @return the normalised host, e.g. {@code api.example.com}
     */
    static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private static boolean isHostChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                || c == '[' || c == ']' || c == ':';
    }

    @Override
    public String toString() {
        return wildcard ? "*" + value : value;
    }
}
