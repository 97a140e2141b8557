package io.gatehouse.api;

/**
 * The well-known {@link Exchange} attribute keys that filters of different plugins share.
 *
 * <p>Keys compare by identity, and each plugin has its own class loader, so a key declared in one
 * plugin can never be read by another: every other key is private to the plugin that declared it.
 * The keys here are loaded once with the API, which every plugin shares (that is why a plugin must
 * not bundle its own copy of the API), so any filter can set or read them. Each names the
 * filter kind expected to set it; a filter that reads one treats its absence as "not known".
 *
 * @since 0.2
 */
public final class Keys {

    /**
     * The id of the authenticated consumer (a user, client application or API key owner), set by an
     * authentication filter and read by rate limiting, logging and metrics.
     */
    public static final Key<String> CONSUMER = Key.of("consumer", String.class);

    /**
     * The request's correlation id, set by the server before any filter runs (kept from a trusted
     * proxy's {@code X-Request-Id}, else generated; see {@code server.forwarding.request-id}) and
     * read by logging and by filters that call other services. Not to be confused with {@link
     * Exchange#id()}, the proxy's own id of the exchange.
     */
    public static final Key<String> REQUEST_ID = Key.of("request-id", String.class);

    /**
     * The {@code Cache-Status} value (RFC 9211) that a cache filter recorded for the exchange, such
     * as {@code Gatehouse; hit; ttl=30} or {@code Gatehouse; fwd=uri-miss; stored; ttl=60}.
     */
    public static final Key<String> CACHE_STATUS = Key.of("cache-status", String.class);

    /**
     * The target a canary or blue-green filter assigned the exchange to: the name of the cluster
     * that serves it (for example {@code api-canary}).
     */
    public static final Key<String> CANARY_SIDE = Key.of("canary-side", String.class);

    /**
     * In a dry run ({@link ProxyFilter#explain}), the status of the response a filter would
     * answer the request with itself instead of passing it on (a static response, a router's
     * {@code 404}, a refusal): the explanation stops at that filter, as the request would.
     */
    public static final Key<Integer> EXPLAINED_ANSWER = Key.of("explained-answer", Integer.class);

    /**
     * The verified certificate of the client, set by the server before any filter runs on a TLS
     * listener with client authentication ({@code tls.client-auth}) when the client presented one.
     * An authorisation filter can decide by its subject or names.
     *
     * @since 0.2
     */
    public static final Key<ClientCertificate> CLIENT_CERTIFICATE = Key.of("client-certificate", ClientCertificate.class);

    private Keys() {
    }
}
