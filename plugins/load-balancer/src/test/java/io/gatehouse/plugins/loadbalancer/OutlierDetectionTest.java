package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Passive health and panic mode, with explicit times. */
class OutlierDetectionTest {

    private static final long SECOND = 1_000_000_000L;

    private static Cluster cluster(int endpoints, int maxEjectedPercent, int panicPercent) {
        List<ClusterSpec.EndpointSpec> specs = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            specs.add(new ClusterSpec.EndpointSpec(new Upstream("http", "10.0.0." + (i + 1), 80), 1));
        }
        return new Cluster(new ClusterSpec("c", specs, ClusterSpec.Policy.ROUND_ROBIN, Optional.empty(), Optional.empty(),
                Optional.empty(), new ClusterSpec.Outlier(3, Duration.ofSeconds(10), Duration.ofSeconds(25), maxEjectedPercent),
                panicPercent, 0, 0, 0, RetryPolicy.DEFAULT));
    }

    private static void fail(Cluster cluster, Endpoint endpoint, int times, long now) {
        for (int i = 0; i < times; i++) {
            cluster.maybeEject(endpoint, endpoint.recordError(), now);
        }
    }

    @Test
    void consecutiveErrorsEjectForAGrowingTimeThenTheEndpointComesBack() {
        Cluster cluster = cluster(4, 50, 0);
        Endpoint bad = cluster.endpoints().get(1);
        long t = 100 * SECOND;

        fail(cluster, bad, 2, t);
        assertThat(cluster.candidates(t)).contains(bad);
        fail(cluster, bad, 1, t);
        assertThat(cluster.candidates(t)).doesNotContain(bad).hasSize(3);
        assertThat(cluster.candidates(t + 9 * SECOND)).doesNotContain(bad);
        assertThat(cluster.candidates(t + 10 * SECOND)).contains(bad); // 10 s, the base ejection

        fail(cluster, bad, 3, t + 11 * SECOND);
        assertThat(cluster.candidates(t + 30 * SECOND)).doesNotContain(bad); // second time: 20 s
        assertThat(cluster.candidates(t + 31 * SECOND)).contains(bad);

        fail(cluster, bad, 3, t + 40 * SECOND);
        assertThat(cluster.candidates(t + 64 * SECOND)).doesNotContain(bad); // third: 30 s, capped at 25 s
        assertThat(cluster.candidates(t + 65 * SECOND)).contains(bad);
    }

    @Test
    void aSuccessResetsTheCount() {
        Cluster cluster = cluster(4, 50, 0);
        Endpoint flaky = cluster.endpoints().get(0);
        fail(cluster, flaky, 2, SECOND);
        flaky.recordSuccess();
        fail(cluster, flaky, 2, SECOND);
        assertThat(cluster.candidates(SECOND)).contains(flaky);
    }

    @Test
    void atMostTheConfiguredShareIsEjected() {
        Cluster cluster = cluster(4, 50, 0);
        for (Endpoint e : cluster.endpoints()) {
            fail(cluster, e, 3, SECOND);
        }
        assertThat(cluster.candidates(SECOND)).hasSize(2);
    }

    @Test
    void belowThePanicThresholdEveryEndpointIsUsedButNoneMeans503() {
        Cluster cluster = cluster(4, 100, 50);
        List<Endpoint> all = cluster.endpoints();
        fail(cluster, all.get(0), 3, SECOND);
        fail(cluster, all.get(1), 3, SECOND);
        assertThat(cluster.candidates(SECOND)).hasSize(2); // 50 % available: no panic yet
        fail(cluster, all.get(2), 3, SECOND);
        assertThat(cluster.candidates(SECOND)).hasSize(4); // 25 % available: panic, balance over all
        fail(cluster, all.get(3), 3, SECOND);
        assertThat(cluster.candidates(SECOND)).isEmpty(); // none: 503 at once
    }
}
