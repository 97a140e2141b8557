package io.gatehouse.server.config;

/**
 * {@code server.upstream-pool}.
 *
 * @param maxPerRoute most pooled connections to one origin
 * @param maxTotal most pooled connections overall
 */
public record UpstreamPool(int maxPerRoute, int maxTotal) {
}
