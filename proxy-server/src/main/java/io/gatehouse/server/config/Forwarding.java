package io.gatehouse.server.config;

import java.net.InetAddress;
import java.util.List;

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
}
