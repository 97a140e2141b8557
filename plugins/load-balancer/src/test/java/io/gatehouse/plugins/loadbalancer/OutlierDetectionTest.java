package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
                Optional.empty(), new ClusterSpec.Outlier(3, Duration.ofSeconds(10), Duration.ofSeconds(25), maxEjectedPercent, false),
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
    void belowThePanicThresholdEveryEndpointIsUsed() {
        Cluster cluster = cluster(4, 100, 50);
        List<Endpoint> all = cluster.endpoints();
        fail(cluster, all.get(0), 3, SECOND);
        fail(cluster, all.get(1), 3, SECOND);
        assertThat(cluster.candidates(SECOND)).hasSize(2); // 50 % available: no panic yet
        fail(cluster, all.get(2), 3, SECOND);
        assertThat(cluster.candidates(SECOND)).hasSize(4); // 25 % available: panic, balance over all
    }

    @Test
    void theLastAvailableEndpointIsNeverEjectedEvenAt100Percent() {
        Cluster cluster = cluster(4, 100, 0);
        for (Endpoint e : cluster.endpoints()) {
            fail(cluster, e, 3, SECOND);
        }
        assertThat(cluster.candidates(SECOND)).hasSize(1);

        Cluster single = cluster(1, 100, 0);
        fail(single, single.endpoints().get(0), 10, SECOND);
        assertThat(single.candidates(SECOND)).hasSize(1);
    }

    @Test
    void anEndpointIsNotEjectedWhenTheOthersAreUnhealthy() {
        Cluster cluster = cluster(3, 100, 0);
        List<Endpoint> all = cluster.endpoints();
        all.get(0).probeFailed(1);
        all.get(1).probeFailed(1);
        fail(cluster, all.get(2), 3, SECOND);
        assertThat(cluster.candidates(SECOND)).containsExactly(all.get(2));
    }

    @ParameterizedTest(name = "{0} % of {1} endpoints: {2} at once")
    @CsvSource({
            "10, 1, 0", "10, 2, 1", "10, 4, 1", "10, 19, 1", "10, 20, 2", "10, 35, 3",
            "50, 4, 2", "100, 4, 3", "0, 10, 0", "25, 4, 1"})
    void theEjectedShareIsAtLeastOneAndNeverAll(double percent, int endpoints, int maxEjected) {
        assertThat(new ClusterSpec.Outlier(5, Duration.ofSeconds(1), Duration.ofSeconds(1), percent, false).maxEjected(endpoints))
                .isEqualTo(maxEjected);
    }

    @Test
    void theDefaultsEjectOneInTenAndCountNo5xx() {
        assertThat(ClusterSpec.Outlier.DEFAULT.maxEjectedPercent()).isEqualTo(10);
        assertThat(ClusterSpec.Outlier.DEFAULT.count5xx()).isFalse();
    }
}
