package io.gatehouse.server;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.server.admin.AdminServer;
import io.gatehouse.server.chain.ChainBuilder;
import io.gatehouse.server.admin.AdminActions;
import io.gatehouse.server.admin.EffectiveConfig;
import io.gatehouse.server.admin.PluginList;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.CurrentChain;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.chain.PluginThreads;
import io.gatehouse.server.config.ConfigDocument;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.demo.DemoOrigin;
import io.gatehouse.server.listener.ProxyEngine;
import io.gatehouse.server.metrics.ServerMetrics;
import io.gatehouse.server.exchange.RequestExplainer;
import io.gatehouse.server.outbound.OutboundHttpClient;
import io.gatehouse.server.outbound.OutboundSettings;
import io.gatehouse.server.plugins.FilterFactories;
import io.gatehouse.server.reload.ConfigSource;
import io.gatehouse.server.reload.ConfigWatcher;
import io.gatehouse.server.reload.Drain;
import io.gatehouse.server.reload.ReloadResult;
import io.gatehouse.server.reload.Reloader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A running Gatehouse: plugins loaded, chain built, listeners bound. Embeddable:
 *
 * <pre>{@code
 * try (GatehouseServer server = GatehouseServer.start(config, List.of())) {
 *     int port = server.addresses().get(0).getPort();
 * }
 * }</pre>
 *
 * <p>Operations while it runs: {@link #reload} (validate, build aside, swap the chain), {@link
 * #drain()} (readiness false, then no new connections), {@link #stop}.
 */
public final class GatehouseServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);

    private final GatehouseConfig config;
    private final CurrentChain chains;
    private final Reloader reloader;
    private final ExecutorService retirer;
    private final ScheduledExecutorService scheduler;
    private final PluginThreads pluginThreads;
    private final OutboundHttpClient outbound;
    private final ProxyEngine engine;
    private final Optional<DemoOrigin> demo;
    private final ServerMetrics metrics;
    private final Drain drain;
    private Optional<AdminServer> admin = Optional.empty();
    private Optional<ConfigWatcher> watcher = Optional.empty();
    private boolean stopped;

    private GatehouseServer(GatehouseConfig config, CurrentChain chains, Reloader reloader, ExecutorService retirer,
                            ScheduledExecutorService scheduler, PluginThreads pluginThreads, OutboundHttpClient outbound,
                            ProxyEngine engine, Optional<DemoOrigin> demo, ServerMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.chains = chains;
        this.reloader = reloader;
        this.retirer = retirer;
        this.scheduler = scheduler;
        this.pluginThreads = pluginThreads;
        this.outbound = outbound;
        this.engine = engine;
        this.demo = demo;
        this.drain = new Drain(config.operations().drainDelay(), scheduler, engine::closeListeners, engine::startDraining);
    }

    /**
     * Loads plugins, builds the chain and starts listening. {@link #reload(String)} then has no
     * source to read; {@link #reload(ConfigDocument, String)} applies a given configuration.
     *
     * @param config the validated configuration
     * @param builtInFactories filter factories given programmatically, besides those of the plugins directory
     * @return the running server
     * @throws ConfigException naming the key or file at fault
     */
    public static GatehouseServer start(GatehouseConfig config, Collection<? extends ProxyFilterFactory<?>> builtInFactories) {
        return start(new ConfigDocument(config, Map.of()), builtInFactories, Optional.empty());
    }

    /**
     * Loads plugins, builds the chain and starts listening; reloads read {@code source} again.
     *
     * @param document the validated configuration (read from {@code source}) and its tree
     * @param builtInFactories filter factories given programmatically, besides those of the plugins directory
     * @param source where {@link #reload(String)} reads the configuration, and the file {@code reload.watch} watches
     * @return the running server
     * @throws ConfigException naming the key or file at fault
     */
    public static GatehouseServer start(ConfigDocument document, Collection<? extends ProxyFilterFactory<?>> builtInFactories,
                                        Optional<ConfigSource> source) {
        GatehouseConfig config = document.config();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, PluginThreads.daemonThreads("gatehouse-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        ExecutorService retirer = Executors.newSingleThreadExecutor(PluginThreads.daemonThreads("gatehouse-retire"));
        PluginThreads blocking = new PluginThreads();
        OutboundHttpClient outbound = new OutboundHttpClient(OutboundSettings.DEFAULTS, blocking.scheduler());
        FilterFactories factories = null;
        FilterChain chain = null;
        DemoOrigin demo = null;
        ProxyEngine engine = null;
        ServerMetrics metrics = new ServerMetrics();
        try {
            GatehouseConfig effective = config;
            Optional<Upstream> demoUpstream = Optional.empty();
            if (config.demoListen().isPresent() && config.upstream().isEmpty()) {
                demo = startDemo(config.demoListen().get());
                InetSocketAddress address = demo.address();
                demoUpstream = Optional.of(new Upstream("http", address.getAddress().getHostAddress(), address.getPort()));
                effective = config.withUpstream(demoUpstream.get());
                LOG.info("Demo origin listening on {}: requests without another upstream go there", address);
            }
            factories = FilterFactories.load(effective.pluginsDirectory(), effective.pluginsWorkDirectory(), builtInFactories);
            chain = builder(factories, blocking, outbound, metrics).build(effective.filters());
            chain.onClosed(factories.retain()::close);
            CurrentChain chains = new CurrentChain(chain, retirer);
            engine = new ProxyEngine(effective, chains, scheduler, metrics);
            engine.start();
            Optional<Upstream> demoTarget = demoUpstream;
            GatehouseConfig started = effective;
            Reloader reloader = new Reloader(source, builtInFactories, f -> builder(f, blocking, outbound, metrics),
                    next -> demoTarget.isPresent() && next.upstream().isEmpty() && next.demoListen().equals(started.demoListen())
                            ? next.withUpstream(demoTarget.get()) : next,
                    chains, listenChanges(engine), factories, new ConfigDocument(effective, document.tree()));
            GatehouseServer server = new GatehouseServer(effective, chains, reloader, retirer, scheduler, blocking, outbound, engine,
                    Optional.ofNullable(demo), metrics);
            server.startAdmin();
            if (effective.operations().watchConfig()) {
                server.startWatch(source);
            }
            LOG.info("Gatehouse listening on {} with {} filter(s){}", engine.addresses(), chain.size(),
                    effective.upstream().map(u -> ", fallback upstream " + u).orElse(""));
            return server;
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.stop(Duration.ZERO);
            }
            if (chain != null) {
                chain.close();
            }
            if (factories != null) {
                factories.close();
            }
            if (demo != null) {
                demo.close();
            }
            outbound.close();
            scheduler.shutdownNow();
            retirer.shutdown();
            blocking.close();
            throw e;
        }
    }

    private static Reloader.Listeners listenChanges(ProxyEngine engine) {
        return wanted -> {
            ProxyEngine.ListenerChange change = engine.relisten(wanted);
            return new Reloader.Listeners.Change(change.added().stream().map(GatehouseServer::format).toList(),
                    change.removed().stream().map(GatehouseServer::format).toList());
        };
    }

    private static String format(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static ChainBuilder builder(FilterFactories factories, PluginThreads threads, OutboundHttpClient outbound,
                                        ServerMetrics metrics) {
        return new ChainBuilder(factories, threads, outbound, Optional.of(metrics.registry()));
    }

    private void startWatch(Optional<ConfigSource> source) {
        Optional<java.nio.file.Path> file = source.flatMap(ConfigSource::file);
        if (file.isEmpty()) {
            LOG.warn("reload.watch is set, but the configuration was not read from a file: nothing to watch");
            return;
        }
        try {
            watcher = Optional.of(ConfigWatcher.start(file.get(), () -> reload("watch")));
        } catch (IOException e) {
            close();
            throw new ConfigException("reload.watch", "cannot watch " + file.get() + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Explains a request against a configuration without starting a listener: the plugins are
     * loaded and the chain is built as for {@link #start}, then closed again.
     *
     * @param config the validated configuration
     * @param builtInFactories filter factories given programmatically
     * @param method request method
     * @param url absolute request URL
     * @param headers extra request headers
     * @return the explanation, one line per entry
     * @throws ConfigException naming the key at fault
     * @throws IllegalArgumentException when the method or URL is unusable
     */
    public static List<String> explain(GatehouseConfig config, Collection<? extends ProxyFilterFactory<?>> builtInFactories,
                                       String method, String url, List<Map.Entry<String, String>> headers) {
        PluginThreads threads = new PluginThreads();
        OutboundHttpClient outbound = new OutboundHttpClient(OutboundSettings.DEFAULTS, threads.scheduler());
        Optional<Upstream> fallback = config.upstream().or(() -> config.demoListen()
                .map(a -> new Upstream("http", a.getHostString(), a.getPort())));
        try (FilterFactories factories = FilterFactories.load(config.pluginsDirectory(), config.pluginsWorkDirectory(),
                builtInFactories);
             FilterChain chain = new ChainBuilder(factories, threads, outbound).build(config.filters())) {
            return new RequestExplainer(chain, fallback).explain(method, url, headers);
        } finally {
            outbound.close();
            threads.close();
        }
    }

    private static DemoOrigin startDemo(InetSocketAddress address) {
        try {
            return DemoOrigin.start(address);
        } catch (IOException e) {
            throw ProxyEngine.cannotListen("demo.listen", address, e);
        }
    }

    private void startAdmin() {
        if (config.adminListen().isEmpty()) {
            return;
        }
        try {
            AdminActions actions = new AdminActions(
                    () -> reload("admin").fields(),
                    () -> drain().fields(),
                    () -> EffectiveConfig.of(reloader.running()),
                    () -> PluginList.of(reloader.factories()),
                    config.operations().adminToken());
            admin = Optional.of(AdminServer.start(config.adminListen().get(), chains::peek, this::draining, engine::inFlight,
                    engine::connections, config.adminAllowedHosts(),
                    () -> new RequestExplainer(chains.peek(), config.upstream()), metrics, actions));
        } catch (IOException e) {
            close();
            throw ProxyEngine.cannotListen("admin.listen", config.adminListen().get(), e);
        }
    }

    private boolean draining() {
        return drain.started();
    }

    /**
     * Reads the configuration source again and applies it: validated as at start-up, the new
     * chain built aside and swapped in; in-flight exchanges finish on the chain they started
     * with. A bad configuration changes nothing.
     *
     * @param trigger what asked: {@code signal}, {@code admin}, {@code watch}, ...
     * @return what happened
     */
    public ReloadResult reload(String trigger) {
        return reloader.reload(trigger);
    }

    /**
     * Applies a configuration from any source, as {@link #reload(String)} does.
     *
     * @param document the validated configuration and its tree
     * @param trigger what asked
     * @return what happened
     */
    public ReloadResult reload(ConfigDocument document, String trigger) {
        return reloader.apply(document, trigger);
    }

    /**
     * Starts draining: readiness turns false at once; after {@code server.timeouts.drain-delay}
     * the listeners stop accepting and keep-alive connections get {@code Connection: close} after
     * their current request. In-flight exchanges go on; the process keeps running until stopped.
     *
     * @return the drain's state
     */
    public Drain.State drain() {
        return drain.start(engine::inFlight);
    }

    /** @return the bound proxy listener addresses */
    public List<InetSocketAddress> addresses() {
        return engine.addresses();
    }

    /** @return the first proxy listener's port */
    public int port() {
        return addresses().get(0).getPort();
    }

    /** @return the admin listener's address, when configured */
    public Optional<InetSocketAddress> adminAddress() {
        return admin.map(AdminServer::address);
    }

    /**
     * What a filter instance reports about itself now (its {@code status()}, as the admin
     * listener's {@code /status} shows it).
     *
     * @param instanceName the instance's name: {@code filters[].name}, or its type and index, e.g. {@code router#0}
     * @return the status text, or empty when the instance reports none
     * @throws IllegalArgumentException when no instance has that name
     */
    public Optional<String> filterStatus(String instanceName) {
        FilterChain chain = chains.peek();
        for (ChainEntry entry : chain.entries()) {
            if (entry.name().equals(instanceName)) {
                return entry.filter().status();
            }
        }
        throw new IllegalArgumentException("no filter instance named " + instanceName + "; the chain has "
                + chain.entries().stream().map(ChainEntry::name).toList());
    }

    /** @return every plugin loaded now: those new exchanges use, and those still serving older exchanges */
    public List<io.gatehouse.server.plugins.LoadedPlugin> plugins() {
        return reloader.factories().inventory().loaded();
    }

    /** @return the effective configuration: server-wide settings of start-up, filters of the last reload */
    public GatehouseConfig config() {
        return reloader.running().config();
    }

    /** @return the open WebSocket tunnels (their count and buffered bytes) */
    public io.gatehouse.server.tunnel.Tunnels tunnels() {
        return engine.tunnels();
    }

    /**
     * Stops accepting, lets in-flight exchanges finish for up to {@code grace}, then releases
     * everything. Idempotent.
     *
     * @param grace the longest wait for in-flight exchanges
     * @return whether every exchange finished within the grace period
     */
    public synchronized boolean stop(Duration grace) {
        if (stopped) {
            return true;
        }
        stopped = true;
        watcher.ifPresent(ConfigWatcher::close);
        drain.start(engine::inFlight);
        drain.awaitListenersClosed(); // readiness false first, then the drain delay
        boolean drained = engine.stop(grace);
        admin.ifPresent(AdminServer::close);
        chains.close(); // closes the filters now, or when the last exchange left
        reloader.close();
        retirer.shutdown();
        try {
            if (!retirer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Filters still closing after 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbound.close(); // after the drain and the filters' close: calls still in flight fail, connections close
        demo.ifPresent(DemoOrigin::close);
        scheduler.shutdownNow();
        pluginThreads.close();
        LOG.info("Gatehouse stopped{}", drained ? "" : " (grace period elapsed with exchanges in flight)");
        return drained;
    }

    /** Stops with the configured shutdown grace. */
    @Override
    public void close() {
        stop(config.timeouts().shutdownGrace());
    }
}
