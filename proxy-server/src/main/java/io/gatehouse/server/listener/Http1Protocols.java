package io.gatehouse.server.listener;

import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.reactor.ProtocolIOSession;

/** Creates the HTTP/1.1 handling of a client connection (HttpCore's duplexer behind the strict parser). */
@FunctionalInterface
interface Http1Protocols {

    /**
     * @param session the connection's session
     * @param exchanges creates the handler of each request
     * @return the connection's HTTP/1.1 handling
     */
    Http1Protocol create(ProtocolIOSession session, HandlerFactory<AsyncServerExchangeHandler> exchanges);
}
