package io.gatehouse.plugins.ratelimit.concurrency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** AIMD on samples the test makes up. */
class AdaptiveLimitTest {

    private static final long MS = 1_000_000L;

    @Test
    void goodSamplesRaiseAUsedLimitByOneEach() {
        AdaptiveLimit limit = new AdaptiveLimit(10, 2, 12, 100 * MS, 10);
        limit.sample(20 * MS, false, 5);
        assertThat(limit.current()).isEqualTo(11);
        limit.sample(20 * MS, false, 6);
        limit.sample(20 * MS, false, 6);
        assertThat(limit.current()).as("up to max").isEqualTo(12);
    }

    @Test
    void anIdleLimitDoesNotGrow() {
        AdaptiveLimit limit = new AdaptiveLimit(10, 2, 100, 100 * MS, 10);
        for (int i = 0; i < 50; i++) {
            limit.sample(20 * MS, false, 2);   // 2 in flight of 10: not a sign that more would help
        }
        assertThat(limit.current()).isEqualTo(10);
    }

    @Test
    void slowOrFailedSamplesCutItDownToMin() {
        AdaptiveLimit limit = new AdaptiveLimit(100, 5, 100, 100 * MS, 10);
        limit.sample(150 * MS, false, 50);
        assertThat(limit.current()).isEqualTo(90);
        limit.sample(10 * MS, true, 50);
        assertThat(limit.current()).isEqualTo(81);
        for (int i = 0; i < 100; i++) {
            limit.sample(500 * MS, false, 1);
        }
        assertThat(limit.current()).isEqualTo(5);
        assertThat(limit).hasToString("adaptive limit 5 (5 to 100, latency target 100ms)");
    }

    @Test
    void aLowerLimitHoldsBackWaitersUntilTheRequestsInFlightFitIt() {
        int[] max = {2};
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(() -> max[0], 5, java.time.Duration.ofSeconds(5),
                io.gatehouse.api.testkit.ManualScheduler.create());
        Ticket a = limiter.acquire("k");
        Ticket b = limiter.acquire("k");
        Ticket waiting = limiter.acquire("k");
        max[0] = 1;
        a.close();
        assertThat(waiting.admitted().toCompletableFuture()).as("two were in flight, the limit is one now").isNotDone();
        b.close();
        assertThat(waiting.admitted().toCompletableFuture()).isCompletedWithValue(true);
    }
}
