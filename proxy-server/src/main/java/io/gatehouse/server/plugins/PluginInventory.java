package io.gatehouse.server.plugins;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every plugin loaded now: those of the current factories and those still serving exchanges that
 * started before a reload replaced them. Shared by all generations of one server.
 */
public final class PluginInventory {

    private final Set<LoadedPlugin> loaded = Collections.synchronizedSet(new LinkedHashSet<>());

    void added(LoadedPlugin plugin) {
        loaded.add(plugin);
    }

    void removed(LoadedPlugin plugin) {
        loaded.remove(plugin);
    }

    /** @return the plugins loaded now, in load order */
    public List<LoadedPlugin> loaded() {
        synchronized (loaded) {
            return List.copyOf(new ArrayList<>(loaded));
        }
    }

    /**
     * @param plugin a plugin
     * @return whether it is still loaded
     */
    public boolean contains(LoadedPlugin plugin) {
        return loaded.contains(plugin);
    }
}
