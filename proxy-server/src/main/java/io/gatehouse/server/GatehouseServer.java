package io.gatehouse.server;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.server.admin.AdminServer;
import io.gatehouse.server.chain.ChainBuilder;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.chain.PluginThreads;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.demo.DemoOrigin;
import io.gatehouse.server.listener.ProxyEngine;
import io.gatehouse.server.metrics.ServerMetrics;
import io.gatehouse.server.exchange.RequestExplainer;
import io.gatehouse.server.outbound.OutboundHttpClient;
import io.gatehouse.server.outbound.OutboundSettings;
import io.gatehouse.server.plugins.FilterFactories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A running Gatehouse: plugins loaded, chain built, listeners bound. Embeddable:
 *
 * <pre>{@code
 * try (GatehouseServer server = GatehouseServer.start(config, List.of())) {
 *     int port = server.addresses().get(0).getPort();
 * }
 * }</pre>
 */
public final class GatehouseServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);

    private final GatehouseConfig config;
    private final FilterFactories factories;
    private final FilterChain chain;
    private final ScheduledExecutorService scheduler;
    private final PluginThreads pluginThreads;
    private final OutboundHttpClient outbound;
    private final ProxyEngine engine;
    private final Optional<DemoOrigin> demo;
    private final ServerMetrics metrics;
    private Optional<AdminServer> admin = Optional.empty();
    private boolean stopped;

    private GatehouseServer(GatehouseConfig config, FilterFactories factories, FilterChain chain,
                            ScheduledExecutorService scheduler, PluginThreads pluginThreads, OutboundHttpClient outbound,
                            ProxyEngine engine, Optional<DemoOrigin> demo, ServerMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.factories = factories;
        this.chain = chain;
        this.scheduler = scheduler;
        this.pluginThreads = pluginThreads;
        this.outbound = outbound;
        this.engine = engine;
        this.demo = demo;
    }

    /**
     * Loads plugins, builds the chain and starts listening.
     *
     * @param config the validated configuration
     * @param builtInFactories filter factories given programmatically, besides those of the plugins directory
     * @return the running server
     * @throws ConfigException naming the key or file at fault
     */
    public static GatehouseServer start(GatehouseConfig config, Collection<? extends ProxyFilterFactory<?>> builtInFactories) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, PluginThreads.daemonThreads("gatehouse-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        PluginThreads blocking = new PluginThreads();
        OutboundHttpClient outbound = new OutboundHttpClient(OutboundSettings.DEFAULTS, blocking.scheduler());
        FilterFactories factories = null;
        FilterChain chain = null;
        DemoOrigin demo = null;
        ProxyEngine engine = null;
        ServerMetrics metrics = new ServerMetrics();
        try {
            GatehouseConfig effective = config;
            if (config.demoListen().isPresent() && config.upstream().isEmpty()) {
                demo = startDemo(config.demoListen().get());
                InetSocketAddress address = demo.address();
                effective = config.withUpstream(new Upstream("http", address.getAddress().getHostAddress(), address.getPort()));
                LOG.info("Demo origin listening on {}: requests without another upstream go there", address);
            }
            factories = FilterFactories.load(effective.pluginsDirectory(), effective.pluginsWorkDirectory(), builtInFactories);
            chain = new ChainBuilder(factories, blocking, outbound, Optional.of(metrics.registry())).build(effective.filters());
            engine = new ProxyEngine(effective, chain, scheduler, metrics);
            engine.start();
            GatehouseServer server = new GatehouseServer(effective, factories, chain, scheduler, blocking, outbound, engine,
                    Optional.ofNullable(demo), metrics);
            server.startAdmin();
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
            blocking.close();
            throw e;
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
            admin = Optional.of(AdminServer.start(config.adminListen().get(), () -> chain, this::draining, engine::inFlight,
                    engine::connections, config.adminAllowedHosts(),
                    () -> new RequestExplainer(chain, config.upstream()), metrics));
        } catch (IOException e) {
            close();
            throw ProxyEngine.cannotListen("admin.listen", config.adminListen().get(), e);
        }
    }

    private boolean draining() {
        return stopped;
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
        for (ChainEntry entry : chain.entries()) {
            if (entry.name().equals(instanceName)) {
                return entry.filter().status();
            }
        }
        throw new IllegalArgumentException("no filter instance named " + instanceName + "; the chain has "
                + chain.entries().stream().map(ChainEntry::name).toList());
    }

    /** @return the effective configuration */
    public GatehouseConfig config() {
        return config;
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
        boolean drained = engine.stop(grace);
        admin.ifPresent(AdminServer::close);
        chain.close();
        outbound.close(); // after the drain and the filters' close: calls still in flight fail, connections close
        factories.close();
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
