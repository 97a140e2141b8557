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
 * directory (loaded with PF4J) plus any given programmatically. Looked up once per load.
 */
public final class FilterFactories implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterFactories.class);

    private final Map<String, ProxyFilterFactory<?>> byType;
    private final Map<String, String> origins;
    private final Optional<PluginManager> pluginManager;

    private FilterFactories(Map<String, ProxyFilterFactory<?>> byType, Map<String, String> origins,
                            Optional<PluginManager> pluginManager) {
        this.byType = byType;
        this.origins = origins;
        this.pluginManager = pluginManager;
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
        Map<String, ProxyFilterFactory<?>> byType = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ProxyFilterFactory<?> factory : builtIn) {
            register(byType, origins, factory, "built-in");
        }
        List<Path> archives = archives(directory);
        if (archives.isEmpty()) {
            return new FilterFactories(byType, origins, Optional.empty());
        }
        DefaultPluginManager manager = new DefaultPluginManager(directory);
        manager.setSystemVersion(ApiVersion.current());
        Map<String, Path> archiveOfId = new LinkedHashMap<>();
        try {
            for (Path archive : archives) {
                loadArchive(manager, PluginUnpacker.unpack(archive, workDirectory), archive, byType, origins, archiveOfId);
            }
        } catch (RuntimeException e) {
            unloadAll(manager);
            throw e;
        }
        return new FilterFactories(byType, origins, Optional.of(manager));
    }

    private static void loadArchive(DefaultPluginManager manager, Path pluginPath, Path archive,
                                    Map<String, ProxyFilterFactory<?>> byType, Map<String, String> origins,
                                    Map<String, Path> archiveOfId) {
        String file = archive.toString();
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
        String requires = descriptor.getRequires();
        if (requires != null && !requires.isBlank() && !requires.trim().equals("*")
                && !manager.getVersionManager().checkVersionConstraint(ApiVersion.current(), requires)) {
            throw new ConfigException(file, "plugin " + descriptor.getPluginId() + " requires Gatehouse API " + requires
                    + ", this server provides " + ApiVersion.current());
        }
        Path earlier = archiveOfId.putIfAbsent(descriptor.getPluginId(), archive);
        if (earlier != null) {
            PluginDescriptor loaded = manager.getPlugin(descriptor.getPluginId()).getDescriptor();
            throw new ConfigException(file, "plugin " + descriptor.getPluginId() + " is in the plugins directory twice: "
                    + earlier.getFileName() + " (version " + loaded.getVersion() + ") and " + archive.getFileName()
                    + " (version " + descriptor.getVersion() + "); remove one of them");
        }
        String pluginId;
        try {
            pluginId = manager.loadPlugin(pluginPath);
        } catch (PluginRuntimeException | IllegalArgumentException e) {
            throw new ConfigException(file, "cannot load plugin (" + e.getMessage() + ")");
        }
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        checkSharedApi(wrapper, file);
        PluginState state = manager.startPlugin(pluginId);
        if (state != PluginState.STARTED) {
            Throwable error = wrapper.getFailedException();
            throw new ConfigException(file, "plugin " + pluginId + " did not start (state " + state
                    + (error == null ? "" : ", " + error) + ")");
        }
        @SuppressWarnings("rawtypes")
        List<ProxyFilterFactory> factories = manager.getExtensions(ProxyFilterFactory.class, pluginId);
        if (factories.isEmpty()) {
            LOG.warn("Plugin {} ({}) contributes no filter factory: is META-INF/extensions.idx in the archive?", pluginId, file);
        }
        for (ProxyFilterFactory<?> factory : factories) {
            register(byType, origins, factory, file);
        }
        LOG.info("Loaded plugin {} {} from {} ({} filter types)", pluginId, descriptor.getVersion(), file, factories.size());
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

    /** Stops and unloads the plugins. */
    @Override
    public void close() {
        pluginManager.ifPresent(FilterFactories::unloadAll);
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
