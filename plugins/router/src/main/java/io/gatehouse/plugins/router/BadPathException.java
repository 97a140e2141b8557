package io.gatehouse.plugins.router;

/** A request path the router refuses to interpret; the message is fixed text, safe to show a client. */
final class BadPathException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadPathException(String message) {
        super(message, null, false, false);
    }
}
