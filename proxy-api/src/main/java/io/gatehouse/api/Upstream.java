package io.gatehouse.api;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * An origin server the proxy can forward to.
 *
 * @param scheme {@code http}, or since 0.2: {@code https} (TLS to the origin, its certificate verified),
 *     {@code h2c} (HTTP/2 with prior knowledge, cleartext) or {@code h2} (HTTP/2 over TLS, ALPN
 *     {@code h2}): how the proxy talks to the origin; {@link #httpScheme()} is the scheme of the
 *     URLs the origin serves
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port
 * @since 0.1
 */
public record Upstream(String scheme, String host, int port) {

    /**
     * Validates the components.
     *
     * @param scheme {@code http}, {@code https}, {@code h2c} or {@code h2}, in any case
     * @param host host name or IP literal, not empty
     * @param port TCP port, 1 to 65535
     * @throws IllegalArgumentException if a component is invalid
     */
    public Upstream {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("h2c") && !scheme.equals("h2")) {
            throw new IllegalArgumentException("upstreams are http, https, h2c or h2 URLs, not " + scheme);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses an origin URL such as {@code http://10.0.0.1:8080}, {@code https://api.internal}
     * (port 443 by default), {@code h2c://10.0.0.1:50051} (port 80 by default) or {@code
     * h2://grpc.internal} (port 443 by default). A path, query or user info is refused.
     *
     * @param url the URL
     * @return the upstream
     * @throws IllegalArgumentException when the URL is not a plain origin
     */
    public static Upstream parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("expected http://host:port, got " + url);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("expected http://host:port without path, got " + url);
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null) {
            // java.net.URI refuses host names with '_' (common for containers): split the authority ourselves
            String authority = uri.getRawAuthority();
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            try {
                port = colon < 0 ? -1 : Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + url);
            }
            if (!host.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("bad host in " + url);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Upstream upstream = new Upstream(uri.getScheme(), host, port < 0 ? 80 : port);
        return port < 0 && upstream.tls() ? new Upstream(upstream.scheme, host, 443) : upstream;
    }

    /**
     * @return whether connections to this origin use TLS ({@code https} and {@code h2})
     * @since 0.2
     */
    public boolean tls() {
        return scheme.equals("https") || scheme.equals("h2");
    }

    /**
     * @return whether the proxy speaks HTTP/2 to this origin ({@code h2c} and {@code h2})
     * @since 0.2
     */
    public boolean http2() {
        return scheme.startsWith("h2");
    }

    /**
     * @return the scheme of the origin's resources: {@code https} with TLS, else {@code http}
     *     (what an HTTP/2 request's {@code :scheme} carries)
     * @since 0.2
     */
    public String httpScheme() {
        return tls() ? "https" : "http";
    }

    /** @return {@code host:port}, IPv6 literals in brackets */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + authority();
    }
}
