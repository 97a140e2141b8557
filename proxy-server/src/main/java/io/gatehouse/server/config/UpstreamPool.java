package io.gatehouse.server.config;

/**
 * {@code server.upstream-pool}, with the TLS settings of the pooled connections to {@code https}
 * origins ({@code server.upstream-tls}).
 *
 * @param maxPerRoute most connections to one origin (in use and idle), per I/O thread
 * @param idleTimeout how long an unused origin connection stays in the pool
 * @param tls how {@code https} origins are verified
 */
public record UpstreamPool(int maxPerRoute, java.time.Duration idleTimeout, UpstreamTls tls) {

    /**
     * Origins verified against the Java runtime's trust store.
     *
     * @param maxPerRoute most connections to one origin, per I/O thread
     * @param idleTimeout how long an unused origin connection stays in the pool
     */
    public UpstreamPool(int maxPerRoute, java.time.Duration idleTimeout) {
        this(maxPerRoute, idleTimeout, UpstreamTls.SYSTEM_TRUST);
    }
}
