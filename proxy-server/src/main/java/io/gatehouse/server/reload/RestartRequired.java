package io.gatehouse.server.reload;

import io.gatehouse.server.config.GatehouseConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server-wide settings a reload cannot apply: threads, pools, timeouts, limits, forwarding,
 * the fallback upstream, the admin listener and the plugins directory are set up once, at
 * start-up. A reload that changes them applies its filters (and {@code server.listen}, which a
 * reload does apply) and names these keys in its answer.
 */
public final class RestartRequired {

    private RestartRequired() {
    }

    /**
     * @param running the configuration in effect
     * @param next the configuration read for the reload
     * @return the keys whose new value takes effect only after a restart, in config order
     */
    public static List<String> between(GatehouseConfig running, GatehouseConfig next) {
        List<String> keys = new ArrayList<>();
        differs(keys, "server.upstream", running.upstream(), next.upstream());
        differs(keys, "server.timeouts", running.timeouts(), next.timeouts());
        differs(keys, "server.timeouts.drain-delay", running.operations().drainDelay(), next.operations().drainDelay());
        differs(keys, "server.limits", running.limits(), next.limits());
        differs(keys, "server.forwarding", running.forwarding(), next.forwarding());
        differs(keys, "server.io-threads", running.ioThreads(), next.ioThreads());
        differs(keys, "server.upstream-pool", running.upstreamPool(), next.upstreamPool());
        differs(keys, "admin.listen", running.adminListen(), next.adminListen());
        differs(keys, "admin.allowed-hosts", running.adminAllowedHosts(), next.adminAllowedHosts());
        differs(keys, "admin.token", running.operations().adminToken(), next.operations().adminToken());
        differs(keys, "plugins.directory", running.pluginsDirectory(), next.pluginsDirectory());
        differs(keys, "plugins.work-directory", running.pluginsWorkDirectory(), next.pluginsWorkDirectory());
        differs(keys, "demo.listen", running.demoListen(), next.demoListen());
        differs(keys, "reload.watch", running.operations().watchConfig(), next.operations().watchConfig());
        return List.copyOf(keys);
    }

    private static void differs(List<String> keys, String key, Object running, Object next) {
        if (!Objects.equals(running, next)) {
            keys.add(key);
        }
    }
}
