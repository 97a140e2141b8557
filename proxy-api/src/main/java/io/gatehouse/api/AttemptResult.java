package io.gatehouse.api;

/**
 * How one attempt to reach an upstream ended, as given to
 * {@link UpstreamSelector#onAttemptResult} and {@link UpstreamSelector#retry}. Immutable.
 *
 * <p>Plugins read attempt results; the server makes them, and tests make them with
 * {@link #of}. New accessors are added as default methods.
 *
 * @since 0.1 (a record until 0.2)
 */
public interface AttemptResult {

    /** @return the kind of ending */
    Kind kind();

    /** @return the response status for {@link Kind#RESPONSE}, otherwise 0 */
    int status();

    /**
     * @return nanoseconds from the start of the attempt to the response head, or to the failure
     */
    long timeToFirstByteNanos();

    /**
     * Makes an attempt result, for the server and for tests.
     *
     * @param kind the kind of ending
     * @param status the response status (100 to 999) for {@link Kind#RESPONSE}, otherwise 0
     * @param timeToFirstByteNanos nanoseconds from the start of the attempt to the response head,
     *     or to the failure; not negative
     * @return an immutable result with value equality
     * @throws IllegalArgumentException if the status does not fit the kind, or the time is negative
     * @since 0.2
     */
    static AttemptResult of(Kind kind, int status, long timeToFirstByteNanos) {
        return new AttemptValue(kind, status, timeToFirstByteNanos);
    }

    /**
     * The kinds of attempt endings.
     *
     * @since 0.1
     */
    enum Kind {
        /** The upstream answered with a response head. */
        RESPONSE,
        /** No connection could be made. */
        CONNECT_FAILURE,
        /** The connection failed or closed before the response head. */
        RESET,
        /** The connect or response timeout elapsed. */
        TIMEOUT
    }
}
