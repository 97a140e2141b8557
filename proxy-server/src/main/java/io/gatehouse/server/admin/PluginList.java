package io.gatehouse.server.admin;

import io.gatehouse.server.plugins.FilterFactories;
import io.gatehouse.server.plugins.LoadedPlugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /plugins}: every plugin loaded now, with whether new exchanges use it ({@code
 * current}) or it only serves exchanges that started before a reload replaced it (it is unloaded
 * once they ended).
 */
public final class PluginList {

    private PluginList() {
    }

    /**
     * @param current the factories of the current chain
     * @return one object per loaded plugin
     */
    public static List<Map<String, Object>> of(FilterFactories current) {
        return current.inventory().loaded().stream().map(plugin -> describe(plugin, current.plugins().contains(plugin))).toList();
    }

    private static Map<String, Object> describe(LoadedPlugin plugin, boolean current) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", plugin.id());
        fields.put("version", plugin.version());
        fields.put("archive", plugin.archive().getFileName().toString());
        fields.put("types", plugin.types());
        fields.put("state", plugin.state());
        fields.put("current", current);
        return fields;
    }
}
