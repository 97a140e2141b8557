package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code load-balancer} filter: owns the clusters and turns the exchange's cluster into one
 * endpoint per attempt.
 *
 * <pre>
 * - type: load-balancer
 *   config:
 *     clusters:
 *       users:
 *         endpoints: [ "http://10.0.0.1:8080", { url: "http://10.0.0.2:8080", weight: 3 } ]
 *         policy: least-request
 *         health-check: { path: /healthz, interval: 5s }
 * </pre>
 */
@Extension
public final class LoadBalancerFilterFactory implements ProxyFilterFactory<LoadBalancerConfig> {

    @Override
    public String type() {
        return "load-balancer";
    }

    @Override
    public LoadBalancerConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(java.util.Set.of("clusters"));
        PluginConfig clusters = config.getSection("clusters");
        if (clusters.keys().isEmpty()) {
            throw new ConfigException(config.path("clusters"), "at least one cluster is needed");
        }
        List<ClusterSpec> specs = new ArrayList<>();
        for (String name : clusters.keys()) {
            specs.add(ClusterParser.parse(name, clusters.getSection(name)));
        }
        return new LoadBalancerConfig(specs);
    }

    @Override
    public ProxyFilter create(LoadBalancerConfig config, FilterContext context) {
        return new LoadBalancerFilter(config, context.scheduler(), context.http());
    }
}
