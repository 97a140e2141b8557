package io.gatehouse.server.config;

/**
 * {@code server.upstream-pool}.
 *
 * @param maxPerRoute most connections to one origin (in use and idle)
 */
public record UpstreamPool(int maxPerRoute) {
}
