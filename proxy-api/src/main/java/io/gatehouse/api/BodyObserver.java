package io.gatehouse.api;

import java.nio.ByteBuffer;

/**
 * Sees the bytes of a request or response body as they stream through the proxy, without
 * slowing them down: callbacks are synchronous, on an I/O thread, and must not block. An
 * observer that needs the bytes later copies them into its own bounded buffer.
 *
 * @since 0.1
 */
public interface BodyObserver {

    /**
     * A chunk of body bytes.
     *
     * @param data read-only; valid only during this call, never to be kept
     */
    void onData(ByteBuffer data);

    /**
     * The body ended cleanly.
     *
     * @param trailers trailer fields, empty when none
     */
    default void onEnd(HttpFields trailers) {
    }

    /**
     * The body will not complete (client or origin failure, abort).
     *
     * @param cause the reason
     */
    default void onAbort(Throwable cause) {
    }
}
