package io.gatehouse.plugins.loadbalancer;

import java.util.List;
import java.util.Optional;

/**
 * The {@code load-balancer} filter's configuration.
 *
 * @param clusters the clusters in config order
 * @param defaultCluster the cluster of requests whose cluster, upstream or selector no earlier
 *     filter chose ({@code default-cluster}); empty: such requests are not balanced here
 */
record LoadBalancerConfig(List<ClusterSpec> clusters, Optional<String> defaultCluster) {

    LoadBalancerConfig {
        clusters = List.copyOf(clusters);
    }
}
