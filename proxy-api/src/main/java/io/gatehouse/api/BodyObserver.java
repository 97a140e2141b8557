package io.gatehouse.api;

import io.gatehouse.api.internal.CollectingObserver;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Sees the bytes of a request or response body as they stream through the proxy, without
 * slowing them down: callbacks are synchronous, on the exchange's I/O thread, under the
 * exchange's lock, and must not block. An observer that needs the bytes later copies them into
 * its own bounded buffer.
 *
 * <p>The contract: {@link #onData} zero or more times with the body from its first byte, then
 * exactly one of {@link #onEnd} or {@link #onAbort}. Delivery starts when every hook of the phase
 * that registered the observer has completed ({@code onRequest} for request bodies, {@code
 * onResponse} for response bodies), so an observer registered behind an asynchronous filter still
 * sees the bytes that arrived while that filter was pending (the server holds them, within its
 * buffer limits, by pausing the sender). A body that is empty, or a response that has none (204,
 * 304, an answer to HEAD), ends with {@code onEnd} and no data. A body that will not reach its
 * destination whole (the client or origin failed, a filter answered instead, the proxy answered
 * an error without the response filters) ends with {@code onAbort}.
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

    /**
     * An observer that copies the body, up to {@code limit} bytes, and hands it over once: the
     * whole body when it ended cleanly within the limit, empty when it was longer or broke off.
     * For a cache storing a response, or a mirror resending a request.
     *
     * @param limit the most bytes kept
     * @param whenDone receives the body, or empty; called once, on an I/O thread, must not block
     * @return the observer
     */
    static BodyObserver collecting(long limit, Consumer<Optional<byte[]>> whenDone) {
        return collecting(limit, OptionalLong.empty(), whenDone);
    }

    /**
     * As {@link #collecting(long, Consumer)}, for a body whose length is known in advance
     * ({@link ResponseHead#bodyLength()}): the copy is one array of that size, filled in place, so
     * that keeping a body costs its length once, never twice (a 64 MiB body fits a 128 MiB heap).
     * A body that turns out longer or shorter is still handed over as it came, within the limit.
     *
     * @param limit the most bytes kept
     * @param expectedLength the body's length when known
     * @param whenDone receives the body, or empty; called once, on an I/O thread, must not block
     * @return the observer
     * @since 0.2
     */
    static BodyObserver collecting(long limit, OptionalLong expectedLength, Consumer<Optional<byte[]>> whenDone) {
        return new CollectingObserver(limit, expectedLength, whenDone);
    }
}
