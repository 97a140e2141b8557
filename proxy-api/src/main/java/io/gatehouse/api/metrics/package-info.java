/**
 * Meters of a filter's own, served with the server's at the admin listener's {@code /metrics}:
 * {@link io.gatehouse.api.FilterContext#metrics()}.
 *
 * <pre>{@code
 * FilterMetrics.Counter hits = context.metrics().counter("cache.lookups", "result", "hit");
 * FilterMetrics.Timer fetch = context.metrics().timer("jwks.fetch");
 * context.metrics().gauge("cache.entries", store::size);
 * }</pre>
 *
 * <p>The server names each meter {@code gatehouse_filter_} followed by the given name (dots become
 * underscores; counters end in {@code _total}, timers in {@code _seconds}) and tags it with the
 * filter's instance name ({@code filter}) and type ({@code type}) besides the given tags. No
 * third-party type appears here; the server backs these with Micrometer.
 *
 * @since 0.2
 */
package io.gatehouse.api.metrics;
