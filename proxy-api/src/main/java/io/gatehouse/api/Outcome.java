package io.gatehouse.api;

import java.util.Optional;

/**
 * How an exchange ended, as given to {@link ProxyFilter#onComplete}.
 *
 * @param kind the kind of ending
 * @param status the status sent to the client, 0 when none was sent
 * @param requestBodyBytes body bytes received from the client
 * @param responseBodyBytes body bytes sent to the client
 * @param durationNanos from the request head to the end of the exchange
 * @param upstream the upstream of the last attempt, if any
 * @param failure the error that ended the exchange, if any
 * @since 0.1
 */
public record Outcome(Kind kind, int status, long requestBodyBytes, long responseBodyBytes,
                      long durationNanos, Optional<Upstream> upstream, Optional<Throwable> failure) {

    /** The kinds of endings. */
    public enum Kind {
        /** A response was sent completely (an error status counts too). */
        COMPLETED,
        /** The client went away or the exchange was aborted mid-way. */
        ABORTED
    }
}
