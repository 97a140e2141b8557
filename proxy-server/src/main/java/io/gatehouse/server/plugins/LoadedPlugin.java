package io.gatehouse.server.plugins;

import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.PluginManager;
import org.pf4j.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One plugin archive loaded by its own PF4J plugin manager, so that two versions of a plugin (the
 * same id) can be loaded side by side during a swap. Counted by the factory generations that
 * include it; when the last lets go, it is stopped and unloaded and its class loader closed.
 */
public final class LoadedPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedPlugin.class);

    private final String id;
    private final String version;
    private final Path archive;
    private final String fingerprint;
    private final PluginManager manager;
    private final List<ProxyFilterFactory<?>> factories;
    private final Optional<Path> ownDirectory;
    private final PluginInventory inventory;
    private final AtomicInteger users = new AtomicInteger(1);

    LoadedPlugin(String id, String version, Path archive, String fingerprint, PluginManager manager,
                 List<ProxyFilterFactory<?>> factories, Optional<Path> ownDirectory, PluginInventory inventory) {
        this.id = id;
        this.version = version;
        this.archive = archive;
        this.fingerprint = fingerprint;
        this.manager = manager;
        this.factories = List.copyOf(factories);
        this.ownDirectory = ownDirectory;
        this.inventory = inventory;
        inventory.added(this);
    }

    /** @return the plugin id */
    public String id() {
        return id;
    }

    /** @return the plugin version */
    public String version() {
        return version;
    }

    /** @return the archive it was loaded from */
    public Path archive() {
        return archive;
    }

    /** @return the filter types it contributes */
    public List<String> types() {
        return factories.stream().map(ProxyFilterFactory::type).toList();
    }

    /** @return its PF4J state now ({@code STARTED}, {@code STOPPED}, ...) */
    public String state() {
        return manager.getPlugin(id) == null ? "UNLOADED" : manager.getPlugin(id).getPluginState().toString();
    }

    /** @return its class loader while it is loaded (tests check that it is collected once unloaded) */
    public Optional<ClassLoader> classLoader() {
        return Optional.ofNullable(manager.getPlugin(id)).map(wrapper -> wrapper.getPluginClassLoader());
    }

    String fingerprint() {
        return fingerprint;
    }

    List<ProxyFilterFactory<?>> factories() {
        return factories;
    }

    /** @return whether it was loaded from {@code file} with these exact contents */
    boolean sameArchive(Path file, String contents) {
        return archive.equals(file) && fingerprint.equals(contents);
    }

    void retain() {
        if (users.getAndIncrement() <= 0) {
            throw new IllegalStateException("plugin " + id + " " + version + " is already unloaded");
        }
    }

    void release() {
        if (users.decrementAndGet() == 0) {
            unload();
        }
    }

    private void unload() {
        try {
            manager.unloadPlugin(id); // stops it, then closes its class loader
            LOG.info("Unloaded plugin {} {} ({})", id, version, archive.getFileName());
        } catch (RuntimeException e) {
            LOG.warn("Plugin {} {} failed to unload: {}", id, version, e.toString());
        } finally {
            inventory.removed(this);
            ownDirectory.ifPresent(directory -> {
                try {
                    FileUtils.delete(directory);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", directory, e.toString());
                }
            });
        }
    }
}
