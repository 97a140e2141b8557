package io.gatehouse.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable response a filter answers with ({@link FilterResult#respond(Response)}). The
 * server sets framing ({@code Content-Length}) itself; a {@code Content-Type} given here is
 * kept.
 *
 * @since 0.1
 */
public final class Response {

    private final int status;
    private final HttpFields headers;
    private final byte[] body;
    private final int offset;
    private final int length;

    private Response(int status, HttpFields headers, byte[] body, int offset, int length) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Starts a response with the given status.
     *
     * @param status 200 to 599
     * @return a builder
     */
    public static Builder status(int status) {
        return new Builder(status);
    }

    /**
     * A short {@code text/plain} response, the usual shape of an error.
     *
     * @param status the status
     * @param text the body, without trailing newline
     * @return the response
     */
    public static Response text(int status, String text) {
        return status(status).header("Content-Type", "text/plain; charset=utf-8").body(text + "\n").build();
    }

    /** @return the status code */
    public int status() {
        return status;
    }

    /** @return the header fields, immutable */
    public HttpFields headers() {
        return headers;
    }

    /** @return a copy of the body bytes, empty for none */
    public byte[] body() {
        return java.util.Arrays.copyOfRange(body, offset, offset + length);
    }

    /** @return the body length in bytes */
    public int bodyLength() {
        return length;
    }

    /**
     * The body without copying.
     *
     * @return a read-only buffer over the body
     */
    public java.nio.ByteBuffer bodyBuffer() {
        return java.nio.ByteBuffer.wrap(body, offset, length).slice().asReadOnlyBuffer();
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + headers + ", " + length + " bytes]";
    }

    /** Builds a {@link Response}. Not thread-safe. */
    public static final class Builder {

        private final int status;
        private final MutableHttpFields headers = MutableHttpFields.create();
        private byte[] body = new byte[0];
        private int offset;
        private int length;

        private Builder(int status) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("final status must be 200 to 599: " + status);
            }
            this.status = status;
        }

        /**
         * Adds a header field.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * Sets the body bytes (copied).
         *
         * @param bytes the body
         * @return this builder
         */
        public Builder body(byte[] bytes) {
            return shared(Arrays.copyOf(bytes, bytes.length), 0, bytes.length);
        }

        /**
         * Sets the body bytes without copying them: the builder takes the array over, and the
         * caller must never change it afterwards (the response is immutable and may be shared).
         * For a body that was just collected into an array no one else holds, such as the one
         * {@link BodyObserver#collecting(long, java.util.OptionalLong, java.util.function.Consumer)}
         * hands over, so that keeping a large body costs its length once.
         *
         * @param bytes the body, no longer to be touched by the caller
         * @return this builder
         * @since 0.2
         */
        public Builder adoptBody(byte[] bytes) {
            return shared(bytes, 0, bytes.length);
        }

        private Builder shared(byte[] bytes, int from, int count) {
            this.body = bytes;
            this.offset = from;
            this.length = count;
            return this;
        }

        /**
         * Uses another response's body, without copying it: both responses are immutable, so
         * they can share it (a cache serving one stored body to many clients, say).
         *
         * @param other the response whose body to use
         * @return this builder
         */
        public Builder body(Response other) {
            return shared(other.body, other.offset, other.length);
        }

        /**
         * Uses a part of another response's body, without copying it (a cache answering a byte
         * range of a stored body, say).
         *
         * @param other the response whose body to use
         * @param from the first byte of the part, 0 to its body length
         * @param count the number of bytes, from {@code from} to at most the end of its body
         * @return this builder
         * @throws IndexOutOfBoundsException when the part is not within the body
         * @since 0.2
         */
        public Builder body(Response other, int from, int count) {
            java.util.Objects.checkFromIndexSize(from, count, other.length);
            return shared(other.body, other.offset + from, count);
        }

        /**
         * Sets the body to UTF-8 text.
         *
         * @param text the body
         * @return this builder
         */
        public Builder body(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return shared(bytes, 0, bytes.length);
        }

        /** @return the immutable response */
        public Response build() {
            return new Response(status, headers.toImmutable(), body, offset, length);
        }
    }
}
