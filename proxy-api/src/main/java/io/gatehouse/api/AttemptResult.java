package io.gatehouse.api;

/**
 * How one attempt to reach an upstream ended.
 *
 * @param kind the kind of ending
 * @param status the response status for {@link Kind#RESPONSE}, otherwise 0
 * @param timeToFirstByteNanos nanoseconds from the start of the attempt to the response head,
 *     or to the failure
 * @since 0.1
 */
public record AttemptResult(Kind kind, int status, long timeToFirstByteNanos) {

    /** The kinds of attempt endings. */
    public enum Kind {
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
