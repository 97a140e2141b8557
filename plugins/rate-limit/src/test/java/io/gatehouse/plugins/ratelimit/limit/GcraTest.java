package io.gatehouse.plugins.ratelimit.limit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** GCRA on a time the test moves: the token bucket's admissions with one number of state. */
class GcraTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private static Gcra gcra(String rate, long burst) {
        return new Gcra(new LimitSpec("g", Rate.parse(rate), burst, Algorithm.GCRA));
    }

    @Test
    void admitsTheBurstAtOnceThenOnePerInterval() {
        Gcra gcra = gcra("10/s", 3);
        Gcra.State state = gcra.newState(0);
        assertThat(gcra.acquire(state, 0).remaining()).isEqualTo(2);
        assertThat(gcra.acquire(state, 0).remaining()).isEqualTo(1);
        Decision last = gcra.acquire(state, 0);
        assertThat(last.remaining()).isZero();
        assertThat(last.resetNanos()).isEqualTo(300 * MS);
        Decision rejected = gcra.acquire(state, 0);
        assertThat(rejected.allowed()).isFalse();
        assertThat(rejected.retryAfterNanos()).isEqualTo(100 * MS);
        assertThat(gcra.acquire(state, 100 * MS - 1).allowed()).isFalse();
        assertThat(gcra.acquire(state, 100 * MS).allowed()).isTrue();
    }

    @Test
    void admitsWhatTheTokenBucketAdmits() {
        LimitSpec spec = new LimitSpec("x", Rate.parse("50/s"), 20, Algorithm.GCRA);
        Gcra gcra = new Gcra(spec);
        TokenBucket bucket = new TokenBucket(spec);
        Gcra.State g = gcra.newState(0);
        TokenBucket.State b = bucket.newState(0);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            if (random.nextInt(4) != 0) {   // otherwise another request at the same instant
                t += random.nextLong(0, 40 * MS);
            }
            assertThat(gcra.acquire(g, t).allowed()).as("request %d at %d", i, t).isEqualTo(bucket.acquire(b, t).allowed());
        }
    }

    @Test
    void sustainedTrafficGetsTheRate() {
        Gcra gcra = gcra("6000/min", 100);
        Gcra.State state = gcra.newState(0);
        int admitted = 0;
        for (long t = 0; t < 60 * S; t += MS) {
            if (gcra.acquire(state, t).allowed()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(100 + 6000 - 1);
    }

    @Test
    void refundChargeAndSnapshot() {
        Gcra gcra = gcra("10/s", 10);
        Gcra.State state = gcra.newState(0);
        gcra.acquire(state, 0);
        gcra.refund(state, 0);
        assertThat(gcra.snapshot(state, 0).level()).isEqualTo(10);
        gcra.charge(state, 12, 0);
        assertThat(gcra.snapshot(state, 0).level()).isEqualTo(-2);
        assertThat(gcra.acquire(state, 200 * MS).allowed()).isFalse();
        assertThat(gcra.acquire(state, 300 * MS).allowed()).isTrue();

        Gcra.State other = gcra.newState(9 * S);
        gcra.restore(other, new Snapshot(4, 0, 0), 9 * S);
        assertThat(gcra.acquire(other, 9 * S).remaining()).isEqualTo(3);
    }
}
