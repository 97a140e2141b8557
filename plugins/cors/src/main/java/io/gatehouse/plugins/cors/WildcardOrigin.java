package io.gatehouse.plugins.cors;

/**
 * An origin with a wildcard subdomain, {@code https://*.example.com} (port optional): matches
 * {@code https://a.example.com} and {@code https://a.b.example.com}, not {@code
 * https://example.com} itself, not another scheme or port, and not a host that only ends with the
 * same characters ({@code https://evilexample.com}).
 *
 * @param schemePart the scheme with {@code ://}
 * @param hostSuffix {@code .} and the rest of the host, with the port if any
 */
record WildcardOrigin(String schemePart, String hostSuffix) {

    boolean matches(String origin) {
        int subdomainEnd = origin.length() - hostSuffix.length();
        if (subdomainEnd <= schemePart.length() || !origin.startsWith(schemePart) || !origin.endsWith(hostSuffix)) {
            return false;
        }
        char previous = '.';
        for (int i = schemePart.length(); i < subdomainEnd; i++) {
            char c = origin.charAt(i);
            boolean label = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!label && !(c == '.' && previous != '.')) {
                return false;
            }
            previous = c;
        }
        return previous != '.';
    }

    @Override
    public String toString() {
        return schemePart + "*" + hostSuffix;
    }
}
