package io.gatehouse.plugins.ipfilter;

import java.net.InetAddress;

/**
 * The decision of one {@code ip-filter} at one moment, immutable: an address on the deny list
 * never passes; when an allow list is configured, only its addresses pass; without one,
 * everything not denied passes. The same as nginx's {@code deny} rules written first, then the
 * {@code allow} rules, then {@code deny all} when there are any.
 *
 * @param allowListed whether an allow list is configured (an empty one then lets nobody through)
 * @param allow the allow list
 * @param deny the deny list
 */
record Rules(boolean allowListed, AddressSet allow, AddressSet deny) {

    /**
     * @param client the client's address
     * @return whether it may pass
     */
    boolean permits(InetAddress client) {
        if (deny.contains(client)) {
            return false;
        }
        return !allowListed || allow.contains(client);
    }

    /**
     * @param client the client's address
     * @return why it passes or not, for {@code explain}
     */
    String reason(InetAddress client) {
        if (deny.contains(client)) {
            return "on the deny list";
        }
        if (!allowListed) {
            return "not on the deny list";
        }
        return allow.contains(client) ? "on the allow list" : "not on the allow list";
    }

    Rules withAllow(AddressSet next) {
        return new Rules(allowListed, next, deny);
    }

    Rules withDeny(AddressSet next) {
        return new Rules(allowListed, allow, next);
    }
}
