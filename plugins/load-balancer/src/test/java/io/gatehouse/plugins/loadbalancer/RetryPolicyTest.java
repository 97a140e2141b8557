package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private static final RetryPolicy POLICY = new RetryPolicy(2, Set.of("connect-failure", "503"), 20, 3,
            Duration.ofMillis(10), Duration.ofMillis(40), 0);

    @Test
    void coversOnlyTheConfiguredEndings() {
        assertThat(POLICY.covers(AttemptResult.of(AttemptResult.Kind.CONNECT_FAILURE, 0, 1))).isTrue();
        assertThat(POLICY.covers(AttemptResult.of(AttemptResult.Kind.RESPONSE, 503, 1))).isTrue();
        assertThat(POLICY.covers(AttemptResult.of(AttemptResult.Kind.RESPONSE, 502, 1))).isFalse();
        assertThat(POLICY.covers(AttemptResult.of(AttemptResult.Kind.RESET, 0, 1))).isFalse();
        assertThat(POLICY.covers(AttemptResult.of(AttemptResult.Kind.TIMEOUT, 0, 1))).isFalse();
    }

    @Test
    void backOffIsJitteredAndDoublesUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            assertThat(POLICY.delay(1)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
            assertThat(POLICY.delay(2)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
            assertThat(POLICY.delay(5)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
        }
    }

    @Test
    void theBudgetCapsRetriesInFlight() {
        Cluster cluster = new Cluster(new ClusterSpec("c", List.of(new ClusterSpec.EndpointSpec(new Upstream("http", "h", 1), 1)),
                ClusterSpec.Policy.ROUND_ROBIN, Optional.empty(), Optional.empty(), Optional.empty(),
                new ClusterSpec.Outlier(5, Duration.ofSeconds(1), Duration.ofSeconds(1), 50, false), 50, 0, 0, 0, POLICY));
        for (int i = 0; i < 50; i++) {
            cluster.enter();
        }
        int granted = 0;
        while (cluster.tryRetry()) {
            granted++;
        }
        assertThat(granted).isEqualTo(10); // 20 % of 50 active requests
        cluster.retriesEnded(10);
        for (int i = 0; i < 50; i++) {
            cluster.leave();
        }
        granted = 0;
        while (cluster.tryRetry()) {
            granted++;
        }
        assertThat(granted).isEqualTo(3); // the minimum when little is going on
    }

    @Test
    void aRetryGoesToAnotherEndpointAndWithinTheAttemptLimit() {
        Cluster cluster = new Cluster(new ClusterSpec("c", List.of(
                new ClusterSpec.EndpointSpec(new Upstream("http", "a", 1), 1),
                new ClusterSpec.EndpointSpec(new Upstream("http", "b", 1), 1)),
                ClusterSpec.Policy.ROUND_ROBIN, Optional.empty(), Optional.empty(), Optional.empty(),
                new ClusterSpec.Outlier(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 50, false), 50, 0, 0, 0, POLICY));
        ExchangeSelector selector = new ExchangeSelector(cluster, Optional.empty());
        io.gatehouse.api.testkit.TestExchange exchange = io.gatehouse.api.testkit.TestExchange.get("/");
        AttemptResult refused = AttemptResult.of(AttemptResult.Kind.CONNECT_FAILURE, 0, 1);

        Upstream first = selector.select(exchange, 1).orElseThrow();
        selector.onAttemptResult(first, refused);
        assertThat(selector.retry(exchange, 1, refused)).isPresent();
        Upstream second = selector.select(exchange, 2).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        selector.onAttemptResult(second, refused);
        assertThat(selector.retry(exchange, 2, refused)).isPresent();
        selector.select(exchange, 3);
        assertThat(selector.retry(exchange, 3, refused)).as("attempts: 2 retries at most").isEmpty();
        selector.finish();
        assertThat(cluster.endpoints()).allSatisfy(e -> assertThat(e.inFlight()).isZero());
    }
}
