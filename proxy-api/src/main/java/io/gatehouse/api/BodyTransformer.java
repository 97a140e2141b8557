package io.gatehouse.api;

import io.gatehouse.api.internal.WholeBodyTransformer;

import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * Changes a request or response body as it streams through the proxy: receives the body's
 * chunks and emits chunks of the new body, which may be longer or shorter (compression, a
 * rewrite). Installed per exchange by a filter ({@link Exchange#transformRequestBody} in
 * {@code onRequest}, {@link Exchange#transformResponseBody} in {@code onRequest} or
 * {@code onResponse}); transformers of one body run in the order they were installed, each
 * feeding the next.
 *
 * <p>Callbacks are synchronous, on the exchange's I/O thread, under the exchange's lock, and
 * must not block. Back-pressure is kept: the server reads the next chunk of the body only when
 * the receiving side took what was emitted, so a transformer that emits about as much as it
 * receives keeps memory bounded. A transformer that needs the whole body (a JSON rewrite, say)
 * asks for it with {@link #wholeBody}, which keeps it up to a cap.
 *
 * <p>The contract: {@link #onData} zero or more times, then exactly one of {@link #onEnd} or
 * {@link #onAbort}. A transformer whose body does not come (a response without one: HEAD, 204,
 * 304; a partial 206, which is never transformed; a filter that answered instead; a failure)
 * hears only {@link #onAbort}, so that it can release what it holds. An exception thrown from a
 * callback fails the exchange: 500 while the response head has not gone out, else the exchange
 * is aborted (never a truncated "success").
 *
 * <p>What the server does about the framing of a transformed body: its length is unknown, so
 * {@code Content-Length} is removed and the body goes out chunked (HTTP/1.1); a strong
 * {@code ETag} becomes weak and {@code Content-MD5} is removed (the bytes changed). Body
 * observers see the body as it leaves the proxy, after every transformer.
 *
 * @since 0.2
 */
public interface BodyTransformer {

    /** Where a transformer emits the new body's bytes. */
    @FunctionalInterface
    interface Output {
        /**
         * Emits bytes of the new body: its remaining bytes are taken (copied) during the call,
         * so the transformer may reuse the buffer afterwards.
         *
         * @param bytes the bytes
         */
        void write(ByteBuffer bytes);
    }

    /**
     * A chunk of the body.
     *
     * @param data read-only; valid only during this call, never to be kept
     * @param out where to emit the new body's bytes
     */
    void onData(ByteBuffer data, Output out);

    /**
     * The body ended cleanly: emit what is left.
     *
     * @param out where to emit the new body's last bytes
     */
    void onEnd(Output out);

    /**
     * The body will not complete, or was never delivered; release what is held.
     *
     * @param cause the reason
     */
    default void onAbort(Throwable cause) {
    }

    /**
     * A transformer of the whole body at once: collects it, up to {@code limit} bytes, then emits
     * what {@code change} makes of it. A body over the limit fails the exchange with a message
     * naming the limit (the transformer cannot emit half a change).
     *
     * @param limit the most bytes collected
     * @param change makes the new body from the old; runs on the I/O thread, must not block
     * @return the transformer
     */
    static BodyTransformer wholeBody(long limit, UnaryOperator<byte[]> change) {
        return new WholeBodyTransformer(limit, change);
    }
}
