package io.gatehouse.api;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A mutable view of the request head as it will be sent to the origin. Changes made by a
 * filter in {@link ProxyFilter#onRequest} are seen by later filters and by the origin.
 *
 * @since 0.1
 */
public interface RequestHead {

    /** @return the method, e.g. {@code GET}, case-sensitive as received */
    String method();

    /** @return the request target in origin form: path and query, e.g. {@code /a/b?x=1} */
    String target();

    /**
     * Replaces the request target the origin will see.
     *
     * @param target an origin-form target starting with {@code /}
     */
    void setTarget(String target);

    /** @return the path part of the target, without the query */
    default String path() {
        String target = target();
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return the query part of the target, without {@code ?}, or empty */
    default Optional<String> query() {
        String target = target();
        int q = target.indexOf('?');
        return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
    }

    /** @return the scheme the client used, {@code http} or {@code https} */
    String scheme();

    /** @return the authority the client asked for ({@code Host}), lower case, port included when sent */
    String authority();

    /** @return the host of {@link #authority()} without port */
    default String host() {
        String authority = authority();
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /** @return the protocol version the client used, e.g. {@code HTTP/1.1} */
    String protocol();

    /** @return the header fields, a live mutable view */
    MutableHttpFields headers();

    /**
     * The length of the request body as the client framed it. {@code Content-Length} and
     * {@code Transfer-Encoding} are the proxy's own (they are not among {@link #headers()}), so
     * this is how a filter learns whether a body follows.
     *
     * @return the length, {@code 0} when there is no body, empty when it is chunked (its length
     *     is known only at its end)
     */
    OptionalLong bodyLength();
}
