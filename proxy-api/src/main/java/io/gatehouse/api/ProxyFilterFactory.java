package io.gatehouse.api;

import org.pf4j.ExtensionPoint;

/**
 * Creates the filters of one filter type. A plugin contributes a factory by annotating an
 * implementation with {@code @org.pf4j.Extension}; the server looks factories up once per
 * configuration load and matches {@link #type()} against {@code filters[].type}.
 *
 * <p>Configuration is parsed once, at start-up, by {@link #parseConfig(PluginConfig)}: the
 * per-request path only ever sees the typed, validated value it returned.
 *
 * @param <C> the typed configuration of one filter entry, ideally an immutable record
 * @since 0.1
 */
public interface ProxyFilterFactory<C> extends ExtensionPoint {

    /**
     * The filter type, as written in {@code filters[].type}; lower case with dashes, unique
     * among loaded plugins.
     *
     * @return the type name, never empty
     */
    String type();

    /**
     * Binds and validates the {@code config} subtree of one filter entry.
     *
     * @param config read-only view of the entry's {@code config} (empty when absent)
     * @return the typed configuration
     * @throws ConfigException naming the full key ({@link PluginConfig#path(String)}) when a
     *     value is missing or invalid
     */
    C parseConfig(PluginConfig config);

    /**
     * Creates the filter instance of one configured entry. The instance is shared by all
     * exchanges and therefore must be thread-safe.
     *
     * @param config the value returned by {@link #parseConfig(PluginConfig)}
     * @param context services of the server for this instance
     * @return the filter
     */
    ProxyFilter create(C config, FilterContext context);

    /**
     * The names this filter entry gives (routes, clusters) and the names its configuration refers
     * to, for the server's check of the whole chain ({@link References}). Called once per entry
     * after {@link #parseConfig}, before any filter is created. The default has none.
     *
     * @param config the value returned by {@link #parseConfig(PluginConfig)}
     * @return its references
     * @since 0.2
     */
    default References references(C config) {
        return References.none();
    }
}
