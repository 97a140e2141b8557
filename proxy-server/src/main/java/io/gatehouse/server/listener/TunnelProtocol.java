package io.gatehouse.server.listener;

import org.apache.hc.core5.reactor.IOEventHandler;

/**
 * A client connection spliced into a WebSocket tunnel: its events go to the tunnel's client side.
 *
 * @param handler the tunnel's client side
 */
record TunnelProtocol(IOEventHandler handler) implements ClientProtocol {

    @Override
    public boolean betweenRequests() {
        return false; // never sleeps: the tunnel owns the connection until it closes
    }

    @Override
    public boolean multiplexed() {
        return false;
    }
}
