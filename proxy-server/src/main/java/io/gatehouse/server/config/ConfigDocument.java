package io.gatehouse.server.config;

import java.util.Map;

/**
 * A validated configuration and the tree it was read from (maps, lists and scalars as written).
 *
 * @param config the validated configuration
 * @param tree the tree as read, for showing the effective configuration (secrets redacted by the reader)
 */
public record ConfigDocument(GatehouseConfig config, Map<String, Object> tree) {

    /** Keeps the tree read-only. */
    public ConfigDocument {
        tree = java.util.Collections.unmodifiableMap(tree);
    }
}
