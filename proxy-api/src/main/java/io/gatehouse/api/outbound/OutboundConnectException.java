package io.gatehouse.api.outbound;

/**
 * No connection to the request's origin could be made: refused, unreachable, or a host name that
 * does not resolve. Nothing was sent.
 *
 * @since 0.2
 */
public final class OutboundConnectException extends OutboundException {

    /**
     * @param message what failed, naming the request's method and URL
     */
    public OutboundConnectException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the request's method and URL
     * @param cause the underlying failure
     */
    public OutboundConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
