package io.gatehouse.server.listener;

import org.apache.hc.core5.reactor.IOEventHandler;

/**
 * How an awake client connection speaks: HttpCore's event handler for it, and what the
 * connection needs to know to sleep and to order its exchanges.
 */
interface ClientProtocol {

    /** @return the event handler the connection hands its events to */
    IOEventHandler handler();

    /**
     * @return whether the connection could drop this protocol now and re-create it on its next
     *     bytes: nothing half-read, nothing owed (never for HTTP/2, whose connection state lives
     *     as long as the connection)
     */
    boolean betweenRequests();

    /**
     * @return whether requests are concurrent streams (HTTP/2), each exchange on its own, rather
     *     than one after the other in pipeline order (HTTP/1.1)
     */
    boolean multiplexed();

    /**
     * @return whether the connection cannot take output before its next output event (HTTP/2:
     *     a frame is still unflushed), so asking its exchanges to produce would be for nothing
     */
    default boolean outputBlocked() {
        return false;
    }
}
