package io.gatehouse.server.tunnel;

/**
 * What becomes of an upgrade request at the origin. Called on the origin connection's I/O
 * thread, exactly once.
 */
public interface Handshake {

    /**
     * The origin switched to WebSocket: its 101 head and whatever followed it wait in the
     * tunnel; the client connection is now to be handed to {@link Tunnel#clientSide()}.
     *
     * @param head the origin's 101 head
     */
    void upgraded(OriginResponseHead head);

    /**
     * The origin answered with something other than a WebSocket 101; its connection is closed.
     *
     * @param head the origin's response head
     * @param body the response body, whole
     */
    void answered(OriginResponseHead head, byte[] body);

    /**
     * No usable answer arrived: connection closed or reset, timeout, malformed or unsupported head.
     *
     * @param cause why
     */
    void failed(Exception cause);
}
