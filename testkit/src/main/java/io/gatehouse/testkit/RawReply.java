package io.gatehouse.testkit;

import java.io.IOException;

/**
 * Takes over a {@link TestOrigin}'s connection right after a request head, for answers no
 * well-behaved origin gives: bad status lines, forbidden bytes, interim responses, a connection
 * that reads part of an upload and breaks. See {@link Reply#raw(RawReply)}.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface RawReply {

    /**
     * Answers one request. The connection is closed when this returns or throws.
     *
     * @param exchange the request head and the connection's streams
     * @throws IOException to drop the connection
     */
    void handle(RawExchange exchange) throws IOException;
}
