package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

    private static Cluster cluster(int maxRequests, int maxPending, int maxPerEndpoint) {
        return new Cluster(new ClusterSpec("c", List.of(
                new ClusterSpec.EndpointSpec(new Upstream("http", "a", 1), 1),
                new ClusterSpec.EndpointSpec(new Upstream("http", "b", 1), 1)),
                ClusterSpec.Policy.ROUND_ROBIN, Optional.empty(), Optional.empty(), Optional.empty(),
                new ClusterSpec.Outlier(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 50, false), 50,
                maxRequests, maxPending, maxPerEndpoint, RetryPolicy.DEFAULT));
    }

    @Test
    void maxRequestsCountsRequestsUntilTheyLeave() {
        Cluster cluster = cluster(2, 0, 0);
        assertThat(cluster.enter()).isTrue();
        assertThat(cluster.enter()).isTrue();
        assertThat(cluster.enter()).isFalse();
        cluster.leave();
        assertThat(cluster.enter()).isTrue();
    }

    @Test
    void maxPendingCountsAttemptsUntilConnected() {
        Cluster cluster = cluster(0, 1, 0);
        ExchangeSelector first = new ExchangeSelector(cluster, Optional.empty());
        ExchangeSelector second = new ExchangeSelector(cluster, Optional.empty());
        Upstream chosen = first.select(TestExchange.get("/"), 1).orElseThrow();
        assertThat(second.select(TestExchange.get("/"), 1)).isEmpty();
        assertThat(second.endpointLimitHit()).isTrue();
        first.onConnected(chosen);
        assertThat(new ExchangeSelector(cluster, Optional.empty()).select(TestExchange.get("/"), 1)).isPresent();
    }

    @Test
    void maxConnectionsPerEndpointSkipsFullEndpointsThenRefuses() {
        Cluster cluster = cluster(0, 0, 1);
        ExchangeSelector a = new ExchangeSelector(cluster, Optional.empty());
        ExchangeSelector b = new ExchangeSelector(cluster, Optional.empty());
        ExchangeSelector c = new ExchangeSelector(cluster, Optional.empty());
        Upstream first = a.select(TestExchange.get("/"), 1).orElseThrow();
        Upstream second = b.select(TestExchange.get("/"), 1).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(c.select(TestExchange.get("/"), 1)).isEmpty();
        assertThat(c.endpointLimitHit()).isTrue();
        a.finish();
        assertThat(new ExchangeSelector(cluster, Optional.empty()).select(TestExchange.get("/"), 1)).contains(first);
    }
}
