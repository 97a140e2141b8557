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
 */
public record Forwarding(List<Cidr> trustedProxies, boolean preserveHost, String via) {

    /** Copies the list. */
    public Forwarding {
        trustedProxies = List.copyOf(trustedProxies);
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
