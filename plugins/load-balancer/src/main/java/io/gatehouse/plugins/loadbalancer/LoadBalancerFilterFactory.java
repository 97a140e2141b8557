package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.References;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code load-balancer} filter: owns the clusters and turns the exchange's cluster into one
 * endpoint per attempt. A request whose cluster no filter named goes to {@code default-cluster},
 * if set and if no earlier filter chose an upstream; otherwise the balancer leaves it alone.
 *
 * <pre>
 * - type: load-balancer
 *   config:
 *     default-cluster: users        # optional
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
        config.requireKnownKeys(Set.of("clusters", "default-cluster"));
        PluginConfig clusters = config.getSection("clusters");
        if (clusters.keys().isEmpty()) {
            throw new ConfigException(config.path("clusters"), "at least one cluster is needed");
        }
        List<ClusterSpec> specs = new ArrayList<>();
        for (String name : clusters.keys()) {
            specs.add(ClusterParser.parse(name, clusters.getSection(name)));
        }
        Optional<String> defaultCluster = config.findString("default-cluster");
        if (defaultCluster.isPresent() && !clusters.keys().contains(defaultCluster.get())) {
            throw new ConfigException(config.path("default-cluster"), "names no cluster of this balancer: \""
                    + defaultCluster.get() + "\" (clusters: " + String.join(", ", clusters.keys()) + ")");
        }
        return new LoadBalancerConfig(specs, defaultCluster);
    }

    /**
     * Carries state over a reload: an entry whose configuration did not change keeps its running
     * instance, and with it endpoint health, passive outlier state, connection counts and retry budgets.
     */
    @Override
    public ProxyFilter create(LoadBalancerConfig config, FilterContext context, Optional<ProxyFilter> previous) {
        return previous.orElseGet(() -> create(config, context));
    }

    @Override
    public ProxyFilter create(LoadBalancerConfig config, FilterContext context) {
        return new LoadBalancerFilter(config, context.scheduler(), context.http(), context.metrics());
    }

    @Override
    public References references(LoadBalancerConfig config) {
        References.Builder references = References.builder();
        config.clusters().forEach(cluster -> references.defines(References.Kind.CLUSTER, cluster.name()));
        return references.build();
    }
}
