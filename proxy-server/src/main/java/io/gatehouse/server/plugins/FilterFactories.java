package io.gatehouse.server.plugins;

import io.gatehouse.api.ApiVersion;
import io.gatehouse.api.ConfigException;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The filter factories available to the chain: those of the plugin archives in the plugins
 * directory plus any given programmatically. Looked up once per load: at start-up, and on every
 * reload ({@link #reload}), which keeps the plugins whose archive did not change and loads new and
 * changed archives beside the running ones.
 *
 * <p>Each archive is loaded by its own PF4J plugin manager ({@link LoadedPlugin}): PF4J allows a
 * plugin id once per manager, and a swap needs the old and the new version of a plugin loaded at
 * the same time, until the exchanges that use the old one have ended. A generation of factories
 * counts its users (the server while it is current, and each chain built from it, see {@link
 * #retain()}); when the last lets go, its plugins are released, and a plugin no generation
 * includes any more is unloaded.
 */
public final class FilterFactories implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterFactories.class);

    private final Map<String, ProxyFilterFactory<?>> byType;
    private final Map<String, String> origins;
    private final List<LoadedPlugin> plugins;
    private final PluginInventory inventory;
    private final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger(1);

    private FilterFactories(Map<String, ProxyFilterFactory<?>> byType, Map<String, String> origins,
                            List<LoadedPlugin> plugins, PluginInventory inventory) {
        this.byType = byType;
        this.origins = origins;
        this.plugins = List.copyOf(plugins);
        this.inventory = inventory;
    }

    /**
     * Loads every plugin archive ({@code *.zip}, {@code *.jar}) of {@code directory}.
     *
     * @param directory the plugins directory; a missing directory means no plugins
     * @param builtIn factories given programmatically (embedded use, tests)
     * @return the factories
     * @throws ConfigException naming the file when an archive is broken, bundles the API or
     *     needs another API version, or when two factories claim the same type
     */
    public static FilterFactories load(Path directory, Collection<? extends ProxyFilterFactory<?>> builtIn) {
        return load(directory, directory, builtIn);
    }

    /**
     * @param directory where the plugin archives are ({@code plugins.directory})
     * @param workDirectory where {@code .zip} archives are unpacked ({@code plugins.work-directory}):
     *     it must be writable, the archives' directory need not be
     * @param builtIn factories available without plugins
     * @return the factories by type
     * @throws ConfigException as {@link #load(Path, Collection)}, and naming {@code
     *     plugins.work-directory} when archives cannot be unpacked there
     */
    public static FilterFactories load(Path directory, Path workDirectory, Collection<? extends ProxyFilterFactory<?>> builtIn) {
        return load(directory, workDirectory, builtIn, List.of(), new PluginInventory());
    }

    /**
     * The factories of the plugins directory as it is now, for a reload: plugins whose archive is
     * unchanged (same file, same contents) are shared with {@code running}, new and changed
     * archives are loaded beside them. {@code running} is not changed; on failure, what this call
     * loaded is unloaded again.
     *
     * @param running the current generation
     * @param directory {@code plugins.directory}
     * @param workDirectory {@code plugins.work-directory}
     * @param builtIn factories available without plugins
     * @return the new generation
     * @throws ConfigException as {@link #load(Path, Path, Collection)}
     */
    public static FilterFactories reload(FilterFactories running, Path directory, Path workDirectory,
                                         Collection<? extends ProxyFilterFactory<?>> builtIn) {
        return load(directory, workDirectory, builtIn, running.plugins, running.inventory);
    }

    private static FilterFactories load(Path directory, Path workDirectory, Collection<? extends ProxyFilterFactory<?>> builtIn,
                                        List<LoadedPlugin> running, PluginInventory inventory) {
        Map<String, ProxyFilterFactory<?>> byType = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ProxyFilterFactory<?> factory : builtIn) {
            register(byType, origins, factory, "built-in");
        }
        List<LoadedPlugin> plugins = new ArrayList<>();
        Map<String, Path> archiveOfId = new LinkedHashMap<>();
        try {
            for (Path archive : archives(directory)) {
                String contents = ArchiveFingerprint.of(archive);
                Optional<LoadedPlugin> unchanged = running.stream().filter(p -> p.sameArchive(archive, contents)).findFirst();
                LoadedPlugin plugin;
                if (unchanged.isPresent()) {
                    plugin = unchanged.get();
                    plugin.retain();
                } else {
                    boolean replacesLoaded = running.stream().anyMatch(p -> p.archive().equals(archive));
                    plugin = loadArchive(archive, contents, workDirectory, replacesLoaded, inventory);
                }
                plugins.add(plugin);
                Path earlier = archiveOfId.putIfAbsent(plugin.id(), archive);
                if (earlier != null) {
                    LoadedPlugin first = plugins.stream().filter(p -> p.id().equals(plugin.id())).findFirst().orElseThrow();
                    throw new ConfigException(archive.toString(), "plugin " + plugin.id() + " is in the plugins directory twice: "
                            + earlier.getFileName() + " (version " + first.version() + ") and " + archive.getFileName()
                            + " (version " + plugin.version() + "); remove one of them");
                }
                for (ProxyFilterFactory<?> factory : plugin.factories()) {
                    register(byType, origins, factory, archive.toString());
                }
            }
        } catch (RuntimeException e) {
            for (int i = plugins.size() - 1; i >= 0; i--) {
                plugins.get(i).release();
            }
            throw e;
        }
        return new FilterFactories(byType, origins, plugins, inventory);
    }

    private static LoadedPlugin loadArchive(Path archive, String contents, Path workDirectory, boolean replacesLoaded,
                                            PluginInventory inventory) {
        String file = archive.toString();
        String name = archive.getFileName().toString();
        Optional<Path> ownDirectory = Optional.empty();
        Path pluginPath;
        if (replacesLoaded && name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            // the running version still loads classes from the usual directory: unpack beside it
            Path fresh = workDirectory.resolve(name.substring(0, name.length() - 4) + ".swap-" + contents.substring(0, 12));
            pluginPath = PluginUnpacker.unpack(archive, workDirectory, fresh);
            ownDirectory = Optional.of(fresh);
        } else {
            pluginPath = PluginUnpacker.unpack(archive, workDirectory);
        }
        PluginDescriptor descriptor;
        try {
            descriptor = new CompoundPluginDescriptorFinder()
                    .add(new PropertiesPluginDescriptorFinder())
                    .add(new ManifestPluginDescriptorFinder())
                    .find(pluginPath);
        } catch (RuntimeException e) {
            if (archive.getFileName().toString().endsWith(".jar")) {
                throw new ConfigException(file, ArchiveAdvice.noDescriptor(archive));
            }
            throw new ConfigException(file, "not a plugin archive: no readable plugin.properties or manifest (" + e.getMessage() + ")");
        }
        if (descriptor.getPluginId() == null || descriptor.getPluginId().isBlank()) {
            // a jar's manifest without Plugin-Id reads as a descriptor without id; PF4J would say "Field 'id' cannot be empty"
            throw new ConfigException(file, ArchiveAdvice.noDescriptor(archive));
        }
        DefaultPluginManager manager = new DefaultPluginManager(pluginPath.getParent() == null ? pluginPath : pluginPath.getParent());
        manager.setSystemVersion(ApiVersion.current());
        String requires = descriptor.getRequires();
        if (requires != null && !requires.isBlank() && !requires.trim().equals("*")
                && !manager.getVersionManager().checkVersionConstraint(ApiVersion.current(), requires)) {
            throw new ConfigException(file, "plugin " + descriptor.getPluginId() + " requires Gatehouse API " + requires
                    + ", this server provides " + ApiVersion.current());
        }
        String pluginId;
        try {
            pluginId = manager.loadPlugin(pluginPath);
        } catch (PluginRuntimeException | IllegalArgumentException e) {
            throw new ConfigException(file, "cannot load plugin (" + e.getMessage() + ")");
        }
        try {
            PluginWrapper wrapper = manager.getPlugin(pluginId);
            checkSharedApi(wrapper, file);
            PluginState state = manager.startPlugin(pluginId);
            if (state != PluginState.STARTED) {
                Throwable error = wrapper.getFailedException();
                throw new ConfigException(file, "plugin " + pluginId + " did not start (state " + state
                        + (error == null ? "" : ", " + error) + ")");
            }
            @SuppressWarnings({"rawtypes", "unchecked"})
            List<ProxyFilterFactory<?>> factories = (List) manager.getExtensions(ProxyFilterFactory.class, pluginId);
            if (factories.isEmpty()) {
                LOG.warn("Plugin {} ({}) contributes no filter factory: is META-INF/extensions.idx in the archive?", pluginId, file);
            }
            LOG.info("Loaded plugin {} {} from {} ({} filter types)", pluginId, descriptor.getVersion(), file, factories.size());
            return new LoadedPlugin(pluginId, String.valueOf(descriptor.getVersion()), archive, contents, manager, factories,
                    ownDirectory, inventory);
        } catch (RuntimeException e) {
            unloadAll(manager);
            throw e;
        }
    }

    /** A plugin that bundles its own copy of the API contributes nothing and fails in odd ways: refuse it. */
    private static void checkSharedApi(PluginWrapper wrapper, String file) {
        Class<?> seen;
        try {
            seen = wrapper.getPluginClassLoader().loadClass(ProxyFilterFactory.class.getName());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(file, "plugin " + wrapper.getPluginId() + " cannot see the Gatehouse API");
        }
        if (seen != ProxyFilterFactory.class) {
            throw new ConfigException(file, "plugin " + wrapper.getPluginId()
                    + " bundles its own copy of the Gatehouse API (io.gatehouse.api); declare proxy-api and pf4j with <scope>provided</scope>");
        }
    }

    private static void register(Map<String, ProxyFilterFactory<?>> byType, Map<String, String> origins,
                                 ProxyFilterFactory<?> factory, String origin) {
        String type = factory.type();
        if (origins.containsKey(type)) {
            throw new ConfigException(origin, "filter type \"" + type + "\" is already provided by " + origins.get(type));
        }
        byType.put(type, factory);
        origins.put(type, origin);
    }

    private static List<Path> archives(Path directory) {
        if (!Files.isDirectory(directory)) {
            if (Files.exists(directory)) {
                throw new ConfigException("plugins.directory", "not a directory: " + directory);
            }
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> archives = new ArrayList<>();
            files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".zip") || p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .forEach(archives::add);
            return archives;
        } catch (IOException e) {
            throw new ConfigException("plugins.directory", "cannot list " + directory + " (" + e.getMessage() + ")");
        }
    }

    /**
     * @param type a filter type
     * @return its factory, or empty
     */
    public Optional<ProxyFilterFactory<?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** @return the known types, in load order */
    public Collection<String> types() {
        return byType.keySet();
    }

    /** @return the plugins of this generation, in load order */
    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** @return every plugin loaded now, this generation's and those still draining */
    public PluginInventory inventory() {
        return inventory;
    }

    /**
     * Counts one more user (a chain built from these factories), who must {@link #close()}.
     *
     * @return this
     */
    public FilterFactories retain() {
        if (users.getAndIncrement() <= 0) {
            throw new IllegalStateException("these filter factories are closed");
        }
        return this;
    }

    /** Lets go of one use; the last one releases the plugins (unloaded when no generation includes them). */
    @Override
    public void close() {
        if (users.decrementAndGet() == 0) {
            for (int i = plugins.size() - 1; i >= 0; i--) {
                plugins.get(i).release();
            }
        }
    }

    /** Stops and unloads one plugin at a time (PF4J's bulk stop trips over its own list). */
    private static void unloadAll(PluginManager manager) {
        List<PluginWrapper> plugins = new ArrayList<>(manager.getPlugins());
        java.util.Collections.reverse(plugins);
        for (PluginWrapper plugin : plugins) {
            try {
                manager.unloadPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                LOG.warn("Plugin {} failed to unload: {}", plugin.getPluginId(), e.toString());
            }
        }
    }
}
