package io.gatehouse.api;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A mutable view of the request head as it will be sent to the origin. Changes made by a
 * filter in {@link ProxyFilter#onRequest} are seen by later filters and by the origin. Its path
 * is already normalised when the first filter sees it ({@link #target()}).
 *
 * @since 0.1
 */
public interface RequestHead {

    /** @return the method, e.g. {@code GET}, case-sensitive as received */
    String method();

    /**
     * The request target the origin will receive, in origin form: path and query, e.g.
     * {@code /a/b?x=1}. The server normalises the path of the client's target once, before any
     * filter runs ({@link io.gatehouse.api.http.PathNormalizer}: {@code /x/../%61dmin;p?q=1}
     * arrives here as {@code /admin?q=1}; the query is kept as sent), and refuses with
     * {@code 400} a target whose path cannot be normalised. What the client sent stays readable
     * in {@link #rawTarget()}.
     *
     * @return the target, normalised, or as a filter set it ({@link #setTarget})
     */
    String target();

    /**
     * Replaces the request target the origin will see. The target is taken as given (a filter is
     * trusted to send what it means); {@code when:} conditions still compare against its normal
     * form. Build it from {@link #path()} or normalise it with {@link
     * io.gatehouse.api.http.PathNormalizer#normalizeTarget} to keep one spelling for later filters
     * and the origin.
     *
     * @param target an origin-form target starting with {@code /}
     */
    void setTarget(String target);

    /**
     * The request target as the client sent it, before the server normalised its path: for
     * logs, and for a filter that must see the original spelling. Decisions belong on {@link
     * #target()} and {@link #path()}, which are what the origin receives. For an absolute-form
     * request ({@code GET http://host/a HTTP/1.1}) it is the path and query of that URI.
     * Unchanged by {@link #setTarget}.
     *
     * @return the target as received, e.g. {@code /x/../%61dmin;p?q=1}; the default
     *     implementation (an implementation that does not normalise) returns {@link #target()}
     * @since 0.2
     */
    default String rawTarget() {
        return target();
    }

    /**
     * The path part of {@link #target()}, without the query: the normalised path, the one that
     * {@code when: { path-prefix }} conditions and routers match and the origin receives
     * ({@code /admin} for a client's {@code //admin}, {@code /x/../admin}, {@code /%61dmin} or
     * {@code /admin;x}).
     *
     * @return the path, e.g. {@code /a/b}
     */
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
