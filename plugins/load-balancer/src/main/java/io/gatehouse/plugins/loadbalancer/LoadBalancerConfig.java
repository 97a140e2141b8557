package io.gatehouse.plugins.loadbalancer;

import java.util.List;

/**
 * The {@code load-balancer} filter's configuration.
 *
 * @param clusters the clusters in config order
 */
record LoadBalancerConfig(List<ClusterSpec> clusters) {

    LoadBalancerConfig {
        clusters = List.copyOf(clusters);
    }
}
