package io.gatehouse.api;

/**
 * Thrown by a {@link BodyTransformer} that refuses the body it is given (a compressed request
 * body that expands past its limit, a body that does not parse): while the response head has not
 * gone out, the client gets {@code status} with the message as a short text body and the
 * connection is closed; afterwards the exchange is aborted, as for any other failure.
 *
 * @since 0.2
 */
public final class BodyRejectedException extends RuntimeException {

    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    /** The status the client gets. */
    private final int status;

    /**
     * @param status a client-error status, 400 to 499 ({@code 413} for a body too large, {@code 400} for one
     *     that cannot be read, {@code 415} for an encoding that is not supported)
     * @param message what the client is told, without details it should not see
     * @throws IllegalArgumentException for a status that is not a client error
     */
    public BodyRejectedException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a rejected body is a client error (400 to 499), not " + status);
        }
        this.status = status;
    }

    /** @return the status the client gets */
    public int status() {
        return status;
    }
}
