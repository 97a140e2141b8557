package io.gatehouse.plugins.headers;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.PluginConfig;

import java.util.List;
import java.util.Map;

/**
 * Edits to one header section, applied in the order remove, set, add; within {@code set} and
 * {@code add}, in config order.
 *
 * @param remove names to remove
 * @param set names to replace with one value
 * @param add fields to append
 */
public record HeaderEdits(List<String> remove, Map<String, String> set, Map<String, String> add) {

    /** No edits. */
    public static final HeaderEdits NONE = new HeaderEdits(List.of(), Map.of(), Map.of());

    /** Copies collections. */
    public HeaderEdits {
        remove = List.copyOf(remove);
        set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
        add = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(add));
    }

    /**
     * Reads {@code remove}, {@code set} and {@code add} of a section and validates names and values.
     *
     * @param section e.g. {@code filters[0].config.request}
     * @return the edits
     */
    static HeaderEdits parse(PluginConfig section) {
        section.requireKnownKeys(java.util.Set.of("remove", "set", "add"));
        List<String> remove = section.getStringList("remove");
        for (int i = 0; i < remove.size(); i++) {
            check(section.path("remove") + "[" + i + "]", remove.get(i), "");
        }
        Map<String, String> set = section.getStringMap("set");
        set.forEach((name, value) -> check(section.path("set") + "." + name, name, value));
        Map<String, String> add = section.getStringMap("add");
        add.forEach((name, value) -> check(section.path("add") + "." + name, name, value));
        return new HeaderEdits(remove, set, add);
    }

    private static void check(String key, String name, String value) {
        try {
            HttpFields.of(name, value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /** @return whether there is nothing to do */
    boolean isEmpty() {
        return remove.isEmpty() && set.isEmpty() && add.isEmpty();
    }

    /**
     * Applies the edits.
     *
     * @param fields the header section to change
     */
    void applyTo(MutableHttpFields fields) {
        for (String name : remove) {
            fields.remove(name);
        }
        set.forEach(fields::set);
        add.forEach(fields::add);
    }
}
