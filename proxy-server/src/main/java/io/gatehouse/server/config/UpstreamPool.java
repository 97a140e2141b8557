package io.gatehouse.server.config;

/**
 * {@code server.upstream-pool}.
 *
 * @param maxPerRoute most connections to one origin (in use and idle), per I/O thread
 * @param idleTimeout how long an unused origin connection stays in the pool
 */
public record UpstreamPool(int maxPerRoute, java.time.Duration idleTimeout) {
}
