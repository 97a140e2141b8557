package io.gatehouse.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * One request/response exchange as the filters see it. An exchange is used by one hook at a
 * time; it must not be touched after {@link ProxyFilter#onComplete} returned.
 *
 * @since 0.1
 */
public interface Exchange {

    /** @return a unique id of this exchange, also sent in logs */
    String id();

    /** @return the request head, a live mutable view */
    RequestHead request();

    /** @return the response head once known (in {@code onResponse}), otherwise empty */
    Optional<ResponseHead> response();

    /** @return the address of the client's TCP connection */
    InetSocketAddress clientAddress();

    /** @return the proxy's own address of the client's TCP connection (the listener it arrived on) */
    InetSocketAddress localAddress();

    /**
     * The client address as resolved through the trusted proxies: when the TCP peer is one of
     * {@code server.forwarding.trusted-proxies}, the rightmost address of
     * {@code X-Forwarded-For} (or, without it, of {@code Forwarded}) that is not itself a
     * trusted proxy; otherwise the TCP peer. Resolved once, from the request as it arrived, so
     * that filters changing those headers do not change it. Use it for anything keyed by client
     * (rate limits, hashing, allow lists) instead of {@link #clientAddress()}, which behind a
     * load balancer is the load balancer.
     *
     * @return the client's address
     * @since 0.2
     */
    default InetAddress clientIp() {
        return clientAddress().getAddress();
    }

    /**
     * Reads an attribute set by this or an earlier filter.
     *
     * @param key the key
     * @param <T> value type
     * @return the value, or empty
     */
    <T> Optional<T> attribute(Key<T> key);

    /**
     * Sets an attribute for later filters.
     *
     * @param key the key
     * @param value the value
     * @param <T> value type
     */
    <T> void setAttribute(Key<T> key, T value);

    /** @return the name of the route chosen by a router filter, or empty */
    Optional<String> route();

    /**
     * Names the route of this exchange; {@code when: { route: NAME }} conditions of later
     * filters match on it.
     *
     * @param route the route name
     */
    void setRoute(String route);

    /** @return the cluster chosen for this exchange, or empty */
    Optional<String> cluster();

    /**
     * Names the cluster that should serve this exchange; a load balancer turns it into an
     * {@link UpstreamSelector}.
     *
     * @param cluster the cluster name
     */
    void setCluster(String cluster);

    /**
     * Sends this exchange to one fixed upstream (replaces any selector).
     *
     * @param upstream the upstream
     */
    default void setUpstream(Upstream upstream) {
        setUpstreamSelector(UpstreamSelector.fixed(upstream));
    }

    /**
     * Lets {@code selector} choose the upstream of each attempt (replaces any earlier choice).
     *
     * @param selector the selector
     */
    void setUpstreamSelector(UpstreamSelector selector);

    /** @return the upstream selector chosen by a filter, or empty (the server's fallback upstream is used) */
    Optional<UpstreamSelector> upstreamSelector();

    /** @return the response timeout a filter chose for this exchange, or empty (the server's) */
    Optional<Duration> responseTimeout();

    /**
     * Overrides {@code server.timeouts.response} for this exchange: how long the origin may
     * stay silent once the request is on its way (a route's {@code timeout}, say).
     *
     * @param timeout a positive duration
     */
    void setResponseTimeout(Duration timeout);

    /** @return the {@code Host} header a filter chose for the origin request, or empty */
    Optional<String> originHost();

    /**
     * Sets the {@code Host} header the origin receives, instead of the upstream's authority
     * (or the client's, with {@code forwarding.preserve-host}).
     *
     * @param host a host, optionally with {@code :port}
     */
    void setOriginHost(String host);

    /**
     * Observes the client→proxy request body as it streams to the origin. Register in
     * {@code onRequest}, also from the thread that completes an asynchronous {@code onRequest}
     * (before completing its stage): registration is thread-safe. The observer sees the body
     * from its first byte, see {@link BodyObserver}.
     *
     * @param observer the observer
     * @throws IllegalStateException once every {@code onRequest} has completed (since 0.2)
     * @throws NullPointerException for a null observer
     */
    void observeRequestBody(BodyObserver observer);

    /**
     * Observes the response body as it streams to the client: the body of the response whose
     * head the response filters saw (the origin's, a filter's answer, or a replacement). Register
     * in {@code onRequest} or {@code onResponse}; registration is thread-safe. The observer sees
     * the body from its first byte, see {@link BodyObserver}.
     *
     * @param observer the observer
     * @throws IllegalStateException once every {@code onResponse} has completed (since 0.2)
     * @throws NullPointerException for a null observer
     */
    void observeResponseBody(BodyObserver observer);

    /**
     * Changes the client→proxy request body on its way to the origin, see {@link BodyTransformer}.
     * Install in {@code onRequest} (thread-safe, as for observers). The origin then receives the
     * new body chunked, without {@code Content-Length}. A request without a body is not transformed
     * (the transformer hears {@code onAbort}).
     *
     * @param transformer the transformer, used for this exchange only
     * @throws IllegalStateException once every {@code onRequest} has completed
     * @throws NullPointerException for a null transformer
     * @since 0.2
     */
    default void transformRequestBody(BodyTransformer transformer) {
        throw new UnsupportedOperationException("this exchange cannot transform bodies");
    }

    /**
     * Changes the response body on its way to the client: the body of the response whose head
     * the response filters saw (the origin's, a filter's answer, or a replacement), see
     * {@link BodyTransformer}. Install in {@code onRequest} or {@code onResponse} (thread-safe);
     * in {@code onResponse} the head is known, so a filter can decide by status and fields, and
     * set the fields that describe the new body ({@code Content-Encoding}, {@code Vary}). A
     * response without a body, and a partial (206) response, are not transformed.
     *
     * @param transformer the transformer, used for this exchange only
     * @throws IllegalStateException once every {@code onResponse} has completed
     * @throws NullPointerException for a null transformer
     * @since 0.2
     */
    default void transformResponseBody(BodyTransformer transformer) {
        throw new UnsupportedOperationException("this exchange cannot transform bodies");
    }

    /** @return {@link System#nanoTime()} when the request head arrived */
    long startNanos();

    /**
     * The exchange's W3C trace context, continued from the client's {@code traceparent} or
     * started by the proxy (see {@code server.forwarding.trace-context}). Set by the server before
     * any filter runs and fixed for the exchange; the proxy sends it on to the origin. Empty when
     * trace context is switched off.
     *
     * <p>Threading: an immutable value, safe to read from any thread.
     *
     * @return the trace context, if the server keeps one
     * @since 0.2
     */
    default Optional<TraceContext> trace() {
        return Optional.empty();
    }
}
