package io.gatehouse.api;

import org.pf4j.ExtensionPoint;

import java.util.Optional;

/**
 * Creates the filters of one filter type. A plugin contributes a factory by annotating an
 * implementation with {@code @org.pf4j.Extension}; the server looks factories up once per
 * configuration load and matches {@link #type()} against {@code filters[].type}.
 *
 * <p>Configuration is parsed once per load (at start-up and on every reload) by {@link #parseConfig(PluginConfig)}: the
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
     * Creates the filter instance of one configured entry on a reload, offered the instance that
     * served the same entry until now, so that state can be carried over (a balancer's endpoint
     * health and connection counts, a cache's entries, a rate limiter's buckets).
     *
     * <p>{@code previous} is present only when the reloaded entry has the same name and type, was
     * created by this same factory (the same plugin version), and its parsed configuration is
     * {@linkplain Object#equals equal} to the one the previous instance was created with: make
     * {@code C} a record of values to benefit. A factory opts in in one of two ways:
     * <ul>
     *   <li>return {@code previous.get()} itself: the instance then serves the new chain as well,
     *       and is not closed when the old chain's exchanges have drained (it is closed with the
     *       last chain that holds it); or</li>
     *   <li>return a new instance that takes over state from {@code previous}: the previous one
     *       is then closed once the exchanges that started on the old chain have ended.</li>
     * </ul>
     * The default ignores {@code previous} and calls {@link #create(Object, FilterContext)}: filters
     * start fresh on every reload.
     *
     * <p>Threading: called on the thread that reloads (never an I/O thread), while exchanges are
     * still running on {@code previous}.
     *
     * @param config the value returned by {@link #parseConfig(PluginConfig)}
     * @param context services of the server for this instance
     * @param previous the instance of the same entry in the running chain, when carrying over is
     *     possible; empty at start-up and when the entry changed
     * @return the filter
     * @since 0.2
     */
    default ProxyFilter create(C config, FilterContext context, Optional<ProxyFilter> previous) {
        return create(config, context);
    }

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
