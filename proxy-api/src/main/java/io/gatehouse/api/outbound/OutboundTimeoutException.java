package io.gatehouse.api.outbound;

/**
 * The request's {@link OutboundRequest#timeout()} elapsed before the whole response arrived:
 * while waiting for a pooled connection, connecting, sending, or waiting for the response's head
 * or body. The request was abandoned and its connection closed.
 *
 * @since 0.2
 */
public final class OutboundTimeoutException extends OutboundException {

    /**
     * @param message what timed out, naming the request's method and URL
     */
    public OutboundTimeoutException(String message) {
        super(message);
    }

    /**
     * @param message what timed out, naming the request's method and URL
     * @param cause the underlying failure
     */
    public OutboundTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
