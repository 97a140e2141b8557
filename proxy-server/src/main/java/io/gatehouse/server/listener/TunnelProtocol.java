package io.gatehouse.server.listener;

import org.apache.hc.core5.reactor.IOEventHandler;

/**
 * A client connection spliced into a WebSocket tunnel: its events go to the tunnel's client side.
 * The HTTP/1.1 protocol it replaced is kept only to release its exchange when the connection
 * closes.
 *
 * @param handler the tunnel's client side
 * @param replaced the HTTP/1.1 handling before the switch
 */
record TunnelProtocol(IOEventHandler handler, ClientProtocol replaced) implements ClientProtocol {

    @Override
    public boolean betweenRequests() {
        return false; // never sleeps: the tunnel owns the connection until it closes
    }

    @Override
    public boolean multiplexed() {
        return false;
    }
}
