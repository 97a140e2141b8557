package io.gatehouse.api.outbound;

import java.io.IOException;

/**
 * An {@link OutboundClient} call that did not get a whole response. The subclasses tell the
 * cases a caller usually treats apart; this class itself covers the rest (a connection reset, a
 * malformed response, a client already closed).
 *
 * @since 0.2
 */
public class OutboundException extends IOException {

    /**
     * @param message what went wrong, naming the request's method and URL
     */
    public OutboundException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the request's method and URL
     * @param cause the underlying failure
     */
    public OutboundException(String message, Throwable cause) {
        super(message, cause);
    }
}
