package io.gatehouse.server.tunnel;

import org.apache.hc.core5.reactor.IOEventHandler;

/** A client connection whose events can be handed to a tunnel after a 101. */
public interface UpgradableConnection {

    /**
     * From now on the connection's events go to {@code handler}, which is told it is connected.
     * Called on the connection's I/O thread; HttpCore's HTTP/1.1 handling of the connection is
     * told the connection is gone (it releases the upgrade's exchange; it has nothing left to
     * write: the 101 is the tunnel's) and dropped with its buffers.
     *
     * @param handler the tunnel's client side
     */
    void switchTo(IOEventHandler handler);
}
