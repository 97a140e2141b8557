package io.gatehouse.server.listener;

import org.apache.hc.core5.http.impl.nio.ServerHttp1IOEventHandler;

/**
 * HttpCore's HTTP/1.1 handling of one awake client connection: its event handler (the duplexer
 * and its session buffers) and the strict parser that reads its request heads.
 *
 * @param handler HttpCore's event handler of the connection
 * @param parser the parser of its request heads
 */
record Http1Protocol(ServerHttp1IOEventHandler handler, StrictRequestParser parser) implements ClientProtocol {

    /**
     * @return whether the connection is open and between requests: no head begun, no byte read
     *     and not yet parsed, further requests accepted
     */
    @Override
    public boolean betweenRequests() {
        return handler.isOpen() && parser.betweenRequests();
    }

    @Override
    public boolean multiplexed() {
        return false;
    }
}
