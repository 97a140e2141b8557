package io.gatehouse.server.config;

import io.gatehouse.api.PluginConfig;

/**
 * One {@code filters[i]} entry.
 *
 * @param index position in the list
 * @param type {@code type}
 * @param name {@code name}, or {@code type#index}
 * @param when {@code when}
 * @param config {@code config} subtree
 */
public record FilterSpec(int index, String type, String name, WhenSpec when, PluginConfig config) {

    /** @return the key of this entry, e.g. {@code filters[2]} */
    public String key() {
        return "filters[" + index + "]";
    }
}
