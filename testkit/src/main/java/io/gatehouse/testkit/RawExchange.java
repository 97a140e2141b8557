package io.gatehouse.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One connection of a {@link TestOrigin}, handed to a {@link RawReply} after a request head.
 *
 * @since 0.2
 */
public final class RawExchange {

    private final ReceivedRequest request;
    private final BodyInput body;
    private final InputStream input;
    private final OutputStream output;

    RawExchange(ReceivedRequest request, BodyInput body, InputStream input, OutputStream output) {
        this.request = request;
        this.body = body;
        this.input = input;
        this.output = output;
    }

    /** @return the request, recorded with its head only (its body is still on the connection) */
    public ReceivedRequest request() {
        return request;
    }

    /**
     * The request body, decoded from its framing (Content-Length or chunked); reading it is
     * optional. Reading past its end gives -1 and leaves the connection at the next request.
     *
     * @return the body
     */
    public InputStream body() {
        return body;
    }

    /** @return the connection's bytes right after the request head, undecoded */
    public InputStream input() {
        return input;
    }

    /** @return the connection's output (buffered: flushed when the handler returns, or by {@link #write}) */
    public OutputStream output() {
        return output;
    }

    /**
     * Writes text as ISO-8859-1 bytes and flushes.
     *
     * @param text the bytes to send, e.g. a response head
     * @return this
     * @throws IOException when the connection fails
     */
    public RawExchange write(String text) throws IOException {
        output.write(text.getBytes(StandardCharsets.ISO_8859_1));
        output.flush();
        return this;
    }
}
