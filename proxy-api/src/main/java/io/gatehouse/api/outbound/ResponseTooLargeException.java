package io.gatehouse.api.outbound;

/**
 * The response's body is longer than the request's {@link OutboundRequest#maxResponseBody()}:
 * known from its {@code Content-Length}, or found while reading it. The rest of the body is not
 * read, and its connection is closed rather than reused.
 *
 * @since 0.2
 */
public final class ResponseTooLargeException extends OutboundException {

    /** The cap that was exceeded, in bytes. */
    private final long limit;

    /**
     * @param message what was too large, naming the request's method and URL
     * @param limit the cap that was exceeded, in bytes
     */
    public ResponseTooLargeException(String message, long limit) {
        super(message);
        this.limit = limit;
    }

    /** @return the cap that was exceeded, in bytes ({@link OutboundRequest#maxResponseBody()}) */
    public long limit() {
        return limit;
    }
}
