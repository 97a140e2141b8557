package io.gatehouse.server.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * {@code server.forwarding}: how proxy headers are written.
 *
 * @param trustedProxies clients whose {@code X-Forwarded-*}, {@code Forwarded} and
 *     {@code X-Real-IP} headers are kept and extended; from anyone else they are replaced
 * @param preserveHost pass the client's {@code Host} to the origin (otherwise the origin's authority)
 * @param via the pseudonym written into {@code Via}
 * @param underscoresInHeaders keep request fields whose name has an underscore (otherwise they
 *     are dropped, as nginx does: CGI and WSGI origins read {@code X_Forwarded_For} as
 *     {@code X-Forwarded-For})
 * @param stripRequestHeaders request fields removed from every client's requests (fields that
 *     re-route or re-method requests at common origins)
 * @param viaLoopLimit a request whose {@code Via} already names this proxy this many times is a
 *     loop, answered 508
 * @param requestIds the request-id field: kept from trusted proxies, generated for anyone else
 */
public record Forwarding(List<Cidr> trustedProxies, boolean preserveHost, String via, boolean underscoresInHeaders,
                         List<String> stripRequestHeaders, int viaLoopLimit, RequestIds requestIds,
                         TraceSettings traceContext) {

    /** The default of {@code strip-request-headers}. */
    public static final List<String> DEFAULT_STRIP_REQUEST_HEADERS = List.of(
            "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    /** The default of {@code via-loop-limit}. */
    public static final int DEFAULT_VIA_LOOP_LIMIT = 2;

    /** Copies the lists. */
    public Forwarding {
        trustedProxies = List.copyOf(trustedProxies);
        stripRequestHeaders = List.copyOf(stripRequestHeaders);
        java.util.Objects.requireNonNull(requestIds, "requestIds");
        java.util.Objects.requireNonNull(traceContext, "traceContext");
    }

    /**
     * The rules with their defaults for everything but trust, {@code Host} and {@code Via}
     * (request ids on, in {@code X-Request-Id}; trace context on).
     *
     * @param trustedProxies clients whose forwarding fields are kept
     * @param preserveHost pass the client's {@code Host} on
     * @param via this proxy's pseudonym
     */
    public Forwarding(List<Cidr> trustedProxies, boolean preserveHost, String via) {
        this(trustedProxies, preserveHost, via, false, DEFAULT_STRIP_REQUEST_HEADERS, DEFAULT_VIA_LOOP_LIMIT,
                RequestIds.DEFAULT, TraceSettings.DEFAULT);
    }

    /**
     * The scheme of the request as its client used it ({@code RequestHead.scheme()}): what a
     * trusted proxy says in {@code X-Forwarded-Proto} (its leftmost value, {@code http} or
     * {@code https}), else {@code http}, the scheme of Gatehouse's own listeners.
     *
     * @param peer the TCP peer
     * @param xForwardedProto the request's {@code X-Forwarded-Proto} values, in order
     * @return {@code http} or {@code https}
     */
    public String scheme(InetAddress peer, List<String> xForwardedProto) {
        return scheme(peer, xForwardedProto, "http");
    }

    /**
     * The scheme of the request as its client used it: what a trusted proxy says in
     * {@code X-Forwarded-Proto}, else the scheme of the listener that received it.
     *
     * @param peer the TCP peer
     * @param xForwardedProto the request's {@code X-Forwarded-Proto} values, in order
     * @param listenerScheme {@code https} for a TLS listener, else {@code http}
     * @return {@code http} or {@code https}
     */
    public String scheme(InetAddress peer, List<String> xForwardedProto, String listenerScheme) {
        if (xForwardedProto.isEmpty() || !trusts(peer)) {
            return listenerScheme;
        }
        String first = xForwardedProto.get(0);
        int comma = first.indexOf(',');
        String proto = (comma < 0 ? first : first.substring(0, comma)).trim();
        return proto.equalsIgnoreCase("https") ? "https" : "http";
    }

    /**
     * @param name a request field name
     * @return whether it is in {@code strip-request-headers}
     */
    public boolean strips(String name) {
        for (String stripped : stripRequestHeaders) {
            if (stripped.length() == name.length() && stripped.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param address a client address
     * @return whether it is a trusted proxy
     */
    public boolean trusts(InetAddress address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client address as resolved through the trusted proxies ({@code Exchange.clientIp()}):
     * when {@code peer} is trusted, the hops of {@code X-Forwarded-For} (or, when there is none,
     * of {@code Forwarded}) are read from right to left, and the first that is not a trusted
     * proxy is the client. When every hop is trusted, the leftmost is taken; when a hop is not
     * an IP literal ({@code unknown}, an obfuscated name), the last trusted one before it is.
     * An untrusted peer is the client, whatever it sent.
     *
     * @param peer the TCP peer
     * @param xForwardedFor the request's {@code X-Forwarded-For} values, in order
     * @param forwarded the request's {@code Forwarded} values, in order
     * @return the client address
     */
    public InetAddress clientIp(InetAddress peer, List<String> xForwardedFor, List<String> forwarded) {
        if (!trusts(peer)) {
            return peer;
        }
        List<String> hops = !xForwardedFor.isEmpty() ? ForwardedNodes.ofXForwardedFor(xForwardedFor)
                : ForwardedNodes.ofForwarded(forwarded);
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = ForwardedNodes.address(hops.get(i));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!trusts(client)) {
                return client;
            }
        }
        return client;
    }
}
