package io.gatehouse.server.admin;

import io.gatehouse.server.metrics.ServerMetrics;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyBucketsTest {

    private static final double[] BOUNDS = {0.001, 0.005, 0.010, 0.100};

    @Test
    void quantileInterpolatesInsideTheBucketThatHoldsIt() {
        // 10 values <= 1 ms, 10 more <= 5 ms, 80 more <= 10 ms
        LatencyBuckets buckets = new LatencyBuckets(BOUNDS, new long[] {10, 20, 100, 100}, 100, 0.7);

        assertThat(buckets.quantile(0.05).getAsDouble()).isCloseTo(0.0005, within(1e-9)); // half-way into [0, 1 ms]
        assertThat(buckets.quantile(0.15).getAsDouble()).isCloseTo(0.003, within(1e-9));  // half-way into [1, 5 ms]
        assertThat(buckets.quantile(0.60).getAsDouble()).isCloseTo(0.0075, within(1e-9)); // half-way into [5, 10 ms]
        assertThat(buckets.mean().getAsDouble()).isCloseTo(0.007, within(1e-9));
    }

    @Test
    void valuesBeyondTheLastBoundReportTheLastBound() {
        LatencyBuckets buckets = new LatencyBuckets(BOUNDS, new long[] {0, 0, 0, 1}, 10, 50);
        assertThat(buckets.quantile(0.99).getAsDouble()).isEqualTo(0.100);
    }

    @Test
    void noValuesNoQuantile() {
        assertThat(new LatencyBuckets(BOUNDS, new long[4], 0, 0).quantile(0.5)).isEmpty();
        assertThat(LatencyBuckets.EMPTY.quantile(0.5)).isEmpty();
        assertThat(LatencyBuckets.EMPTY.mean()).isEmpty();
    }

    @Test
    void theDifferenceOfTwoReadingsIsTheIntervalBetweenThem() {
        LatencyBuckets before = new LatencyBuckets(BOUNDS, new long[] {100, 100, 100, 100}, 100, 0.05);
        // then 10 slow values (between 10 and 100 ms) and nothing else
        LatencyBuckets after = new LatencyBuckets(BOUNDS, new long[] {100, 100, 100, 110}, 110, 0.55);

        LatencyBuckets interval = after.minus(before);

        assertThat(interval.count()).isEqualTo(10);
        assertThat(interval.quantile(0.5).getAsDouble()).isCloseTo(0.055, within(1e-9));
        assertThat(interval.mean().getAsDouble()).isCloseTo(0.05, within(1e-9));
        // over everything since start, the median is still fast
        assertThat(after.quantile(0.5).getAsDouble()).isLessThan(0.001);
    }

    @Test
    void readsTheServersPrometheusTimersAsCumulativeCounts() {
        ServerMetrics metrics = new ServerMetrics();
        Timer timer = Timer.builder("t").serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100))
                .register(metrics.registry());
        timer.record(Duration.ofNanos(500_000));
        timer.record(Duration.ofMillis(5));
        timer.record(Duration.ofMillis(5));
        timer.record(Duration.ofMillis(50));

        LatencyBuckets buckets = LatencyBuckets.of(timer.takeSnapshot());

        assertThat(buckets.count()).isEqualTo(4);
        assertThat(buckets.quantile(0.25).getAsDouble()).isCloseTo(0.001, within(1e-9)); // the 1st of 4 is in the first bucket
        assertThat(buckets.quantile(0.5).getAsDouble()).isBetween(0.001, 0.010);
        assertThat(buckets.quantile(1.0).getAsDouble()).isCloseTo(0.100, within(1e-9));
        assertThat(buckets.plus(buckets).count()).isEqualTo(8);
        assertThat(buckets.plus(buckets).quantile(0.5)).isEqualTo(buckets.quantile(0.5));
    }
}
