package io.gatehouse.api.outbound;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable response an {@link OutboundClient} received: the final status, the header fields
 * and the whole body (within the request's {@link OutboundRequest#maxResponseBody()}). Interim
 * {@code 1xx} responses are not reported. Tests build them with {@link #of}.
 *
 * @since 0.2
 */
public final class OutboundResponse {

    private final int status;
    private final HttpFields headers;
    private final byte[] body;

    private OutboundResponse(int status, HttpFields headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * A response, for the server's client and for tests.
     *
     * @param status the status, 100 to 999
     * @param headers the header fields (copied)
     * @param body the body (copied), empty for none
     * @return the response
     * @throws IllegalArgumentException if the status is out of range
     */
    public static OutboundResponse of(int status, HttpFields headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be 100 to 999: " + status);
        }
        Objects.requireNonNull(headers, "headers");
        MutableHttpFields copy = MutableHttpFields.create();
        headers.forEach(copy::add);
        return new OutboundResponse(status, copy.toImmutable(), Arrays.copyOf(body, body.length));
    }

    /**
     * A response with a UTF-8 text body and no header fields, for tests.
     *
     * @param status the status, 100 to 999
     * @param text the body
     * @return the response
     */
    public static OutboundResponse of(int status, String text) {
        return of(status, HttpFields.empty(), text.getBytes(StandardCharsets.UTF_8));
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
        return body.clone();
    }

    /**
     * The body without copying.
     *
     * @return a read-only buffer over the body
     */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** @return the body as UTF-8 text */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the body length in bytes */
    public int bodyLength() {
        return body.length;
    }

    @Override
    public String toString() {
        return "OutboundResponse[" + status + ", " + headers + ", " + body.length + " bytes]";
    }
}
