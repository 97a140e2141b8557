package io.gatehouse.api;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A mutable view of the response head before it is sent to the client.
 *
 * @since 0.1
 */
public interface ResponseHead {

    /** @return the status code */
    int status();

    /**
     * Changes the status code sent to the client.
     *
     * @param status 200 to 599
     */
    void setStatus(int status);

    /** @return the header fields, a live mutable view */
    MutableHttpFields headers();

    /**
     * The length of the response body as it was framed: the origin's {@code Content-Length}, or
     * the length of a response the proxy or a filter made. {@code Content-Length} and {@code
     * Transfer-Encoding} are the proxy's own (they are not among {@link #headers()}), so this is
     * how a filter learns, before the body streams, how long it is.
     *
     * @return the length, {@code 0} when there is no body, empty when it is chunked (known only at
     *     its end) or not known
     * @since 0.2
     */
    default OptionalLong bodyLength() {
        return OptionalLong.empty();
    }

    /**
     * Whether the proxy made this response itself instead of an origin (a {@code 502} because the
     * upstream refused the connection, a {@code 504} because it did not answer in time): then the
     * stable detail code that {@link Outcome#detail()} will carry, such as {@code
     * upstream_connect_failure}. Empty for an origin's response and for one a filter made.
     *
     * @return the detail code of a proxy-made response, or empty
     * @since 0.2
     */
    default Optional<String> localDetail() {
        return Optional.empty();
    }
}
