package io.gatehouse.server.config;

import io.gatehouse.api.Upstream;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The validated server configuration: immutable, built once by {@link ConfigLoader}.
 *
 * @param listen the proxy listeners ({@code server.listen}): addresses, TLS, HTTP/2
 * @param upstream fallback origin when no filter chose one ({@code server.upstream})
 * @param timeouts {@code server.timeouts}
 * @param limits {@code server.limits}
 * @param forwarding {@code server.forwarding}
 * @param ioThreads {@code server.io-threads}
 * @param upstreamPool {@code server.upstream-pool}
 * @param adminListen {@code admin.listen}
 * @param adminAllowedHosts {@code admin.allowed-hosts}: host names, besides IP literals and
 *     {@code localhost}, that the admin listener answers to
 * @param pluginsDirectory {@code plugins.directory}, resolved
 * @param pluginsWorkDirectory {@code plugins.work-directory}, resolved: where plugin archives are
 *     unpacked (by default the plugins directory itself)
 * @param demoListen {@code demo.listen}: where to start the built-in demo origin
 * @param filters {@code filters}
 * @param operations {@code admin.token}, {@code server.timeouts.drain-delay}, {@code reload.watch}
 * @param tunnels {@code server.websocket}, {@code server.timeouts.tunnel-idle}, {@code server.limits.tunnels}
 */
public record GatehouseConfig(List<ListenerSpec> listen, Optional<Upstream> upstream, Timeouts timeouts,
                              Limits limits, Forwarding forwarding, int ioThreads, UpstreamPool upstreamPool,
                              Optional<InetSocketAddress> adminListen, List<String> adminAllowedHosts, Path pluginsDirectory,
                              Path pluginsWorkDirectory,
                              Optional<InetSocketAddress> demoListen, List<FilterSpec> filters, Operations operations,
                              TunnelSettings tunnels) {

    /**
     * Without operations settings (no admin token, no drain delay, no file watch).
     *
     * @param listen {@code server.listen}
     * @param upstream {@code server.upstream}
     * @param timeouts {@code server.timeouts}
     * @param limits {@code server.limits}
     * @param forwarding {@code server.forwarding}
     * @param ioThreads {@code server.io-threads}
     * @param upstreamPool {@code server.upstream-pool}
     * @param adminListen {@code admin.listen}
     * @param adminAllowedHosts {@code admin.allowed-hosts}
     * @param pluginsDirectory {@code plugins.directory}
     * @param pluginsWorkDirectory {@code plugins.work-directory}
     * @param demoListen {@code demo.listen}
     * @param filters {@code filters}
     */
    public GatehouseConfig(List<ListenerSpec> listen, Optional<Upstream> upstream, Timeouts timeouts,
                           Limits limits, Forwarding forwarding, int ioThreads, UpstreamPool upstreamPool,
                           Optional<InetSocketAddress> adminListen, List<String> adminAllowedHosts, Path pluginsDirectory,
                           Path pluginsWorkDirectory, Optional<InetSocketAddress> demoListen, List<FilterSpec> filters) {
        this(listen, upstream, timeouts, limits, forwarding, ioThreads, upstreamPool, adminListen, adminAllowedHosts,
                pluginsDirectory, pluginsWorkDirectory, demoListen, filters, Operations.DEFAULTS, TunnelSettings.DEFAULTS);
    }

    /**
     * Without tunnel settings (the defaults).
     *
     * @param listen {@code server.listen}
     * @param upstream {@code server.upstream}
     * @param timeouts {@code server.timeouts}
     * @param limits {@code server.limits}
     * @param forwarding {@code server.forwarding}
     * @param ioThreads {@code server.io-threads}
     * @param upstreamPool {@code server.upstream-pool}
     * @param adminListen {@code admin.listen}
     * @param adminAllowedHosts {@code admin.allowed-hosts}
     * @param pluginsDirectory {@code plugins.directory}
     * @param pluginsWorkDirectory {@code plugins.work-directory}
     * @param demoListen {@code demo.listen}
     * @param filters {@code filters}
     * @param operations {@code admin.token}, {@code server.timeouts.drain-delay}, {@code reload.watch}
     */
    public GatehouseConfig(List<ListenerSpec> listen, Optional<Upstream> upstream, Timeouts timeouts,
                           Limits limits, Forwarding forwarding, int ioThreads, UpstreamPool upstreamPool,
                           Optional<InetSocketAddress> adminListen, List<String> adminAllowedHosts, Path pluginsDirectory,
                           Path pluginsWorkDirectory, Optional<InetSocketAddress> demoListen, List<FilterSpec> filters,
                           Operations operations) {
        this(listen, upstream, timeouts, limits, forwarding, ioThreads, upstreamPool, adminListen, adminAllowedHosts,
                pluginsDirectory, pluginsWorkDirectory, demoListen, filters, operations, TunnelSettings.DEFAULTS);
    }

    /** Copies lists. */
    public GatehouseConfig {
        listen = List.copyOf(listen);
        adminAllowedHosts = List.copyOf(adminAllowedHosts);
        filters = List.copyOf(filters);
    }

    /** @return the addresses of the proxy listeners, in {@code server.listen} order */
    public List<InetSocketAddress> listenAddresses() {
        return listen.stream().map(ListenerSpec::address).toList();
    }

    /**
     * A copy with plain HTTP listeners at other addresses (e.g. ephemeral ports in tests).
     *
     * @param addresses the addresses
     * @return the copy
     */
    public GatehouseConfig withListen(List<InetSocketAddress> addresses) {
        List<ListenerSpec> plain = new java.util.ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            plain.add(ListenerSpec.plain("server.listen[" + i + "]", addresses.get(i)));
        }
        return withListeners(plain);
    }

    /**
     * A copy with other listeners.
     *
     * @param listeners the listeners
     * @return the copy
     */
    public GatehouseConfig withListeners(List<ListenerSpec> listeners) {
        return new GatehouseConfig(listeners, upstream, timeouts, limits, forwarding, ioThreads, upstreamPool,
                adminListen, adminAllowedHosts, pluginsDirectory, pluginsWorkDirectory, demoListen, filters, operations, tunnels);
    }

    /**
     * A copy with another fallback upstream.
     *
     * @param target the upstream
     * @return the copy
     */
    public GatehouseConfig withUpstream(Upstream target) {
        return new GatehouseConfig(listen, Optional.of(target), timeouts, limits, forwarding, ioThreads, upstreamPool,
                adminListen, adminAllowedHosts, pluginsDirectory, pluginsWorkDirectory, demoListen, filters, operations, tunnels);
    }

    /**
     * A copy with other filters (a reload applies the new chain and keeps the server-wide settings
     * that need a restart).
     *
     * @param entries the filter entries
     * @return the copy
     */
    public GatehouseConfig withFilters(List<FilterSpec> entries) {
        return new GatehouseConfig(listen, upstream, timeouts, limits, forwarding, ioThreads, upstreamPool,
                adminListen, adminAllowedHosts, pluginsDirectory, pluginsWorkDirectory, demoListen, entries, operations, tunnels);
    }
}
