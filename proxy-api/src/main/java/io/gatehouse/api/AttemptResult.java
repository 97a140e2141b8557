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
     * Whether the attempt failed on a pooled connection that turned out stale: the origin had
     * closed it while it was idle, and the request never reached a live origin. Its kind is then
     * {@link Kind#RESET}. This is not the upstream's failure: do not count it against the
     * endpoint's health. The server retries such an attempt once, at once, if {@link
     * UpstreamSelector#retryStaleConnection} agrees.
     *
     * @return whether the attempt met a stale pooled connection
     * @since 0.2
     */
    default boolean staleConnection() {
        return false;
    }

    /**
     * Makes the result of an attempt that met a stale pooled connection (see {@link
     * #staleConnection()}): kind {@link Kind#RESET}, status 0.
     *
     * @param timeToFirstByteNanos nanoseconds from the start of the attempt to the failure
     * @return an immutable result with value equality
     * @since 0.2
     */
    static AttemptResult staleConnection(long timeToFirstByteNanos) {
        return new AttemptValue(Kind.RESET, 0, timeToFirstByteNanos, true);
    }

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
        return new AttemptValue(kind, status, timeToFirstByteNanos, false);
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
