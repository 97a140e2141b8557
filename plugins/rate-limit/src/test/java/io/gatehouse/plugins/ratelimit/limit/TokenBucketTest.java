package io.gatehouse.plugins.ratelimit.limit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The token bucket on a time the test moves (nanoseconds, no sleeping). */
class TokenBucketTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private static TokenBucket bucket(String rate, long burst) {
        return new TokenBucket(new LimitSpec("t", Rate.parse(rate), burst, Algorithm.TOKEN_BUCKET));
    }

    @Test
    void admitsTheBurstAtOnceThenRejects() {
        TokenBucket bucket = bucket("10/s", 5);
        TokenBucket.State state = bucket.newState(0);
        for (int i = 4; i >= 0; i--) {
            Decision d = bucket.acquire(state, 0);
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).isEqualTo(i);
        }
        Decision rejected = bucket.acquire(state, 0);
        assertThat(rejected.allowed()).isFalse();
        assertThat(rejected.retryAfterNanos()).isEqualTo(100 * MS);   // one token at 10/s
        assertThat(rejected.resetNanos()).isEqualTo(500 * MS);        // five tokens
    }

    @Test
    void refillsContinuouslyAtTheRate() {
        TokenBucket bucket = bucket("10/s", 1);
        TokenBucket.State state = bucket.newState(0);
        assertThat(bucket.acquire(state, 0).allowed()).isTrue();
        assertThat(bucket.acquire(state, 99 * MS).allowed()).isFalse();
        assertThat(bucket.acquire(state, 99 * MS).retryAfterNanos()).isEqualTo(MS);
        assertThat(bucket.acquire(state, 100 * MS).allowed()).isTrue();
        assertThat(bucket.acquire(state, 100 * MS).allowed()).isFalse();
    }

    @Test
    void sustainedTrafficGetsExactlyTheRate() {
        TokenBucket bucket = bucket("100/s", 100);
        TokenBucket.State state = bucket.newState(0);
        int admitted = 0;
        for (long t = 0; t < 10 * S; t += MS) {     // 1,000 requests a second for 10 s
            if (bucket.acquire(state, t).allowed()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(100 + 100 * 10 - 1);  // the burst, then 100/s (the last ms's token comes at 10 s)
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket bucket = bucket("1/s", 3);
        TokenBucket.State state = bucket.newState(0);
        long later = 3_600 * S;
        int admitted = 0;
        while (bucket.acquire(state, later).allowed()) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void aRefundGivesTheTokenBackButNotBeyondTheBurst() {
        TokenBucket bucket = bucket("1/min", 2);
        TokenBucket.State state = bucket.newState(0);
        bucket.acquire(state, 0);
        bucket.refund(state, 0);
        bucket.refund(state, 0);
        assertThat(bucket.acquire(state, 0).remaining()).isEqualTo(1);
    }

    @Test
    void aChargeGoesIntoDebtThatLaterRequestsRepay() {
        TokenBucket bucket = bucket("10/s", 10);
        TokenBucket.State state = bucket.newState(0);
        bucket.charge(state, 15, 0);                          // five more than the bucket held
        assertThat(bucket.snapshot(state, 0).level()).isEqualTo(-5);
        assertThat(bucket.acquire(state, 500 * MS).allowed()).isFalse(); // 0 tokens after 0.5 s
        assertThat(bucket.acquire(state, 600 * MS).allowed()).isTrue();
    }

    @Test
    void aSnapshotMovesTheStateToAnotherClock() {
        TokenBucket bucket = bucket("10/s", 10);
        TokenBucket.State here = bucket.newState(0);
        for (int i = 0; i < 7; i++) {
            bucket.acquire(here, 0);
        }
        TokenBucket.State there = bucket.newState(5 * S);
        bucket.restore(there, bucket.snapshot(here, 0), 5 * S);
        assertThat(bucket.acquire(there, 5 * S).remaining()).isEqualTo(2);
    }

    @Test
    void timeRunningBackwardsChangesNothing() {
        TokenBucket bucket = bucket("10/s", 1);
        TokenBucket.State state = bucket.newState(S);
        assertThat(bucket.acquire(state, S).allowed()).isTrue();
        assertThat(bucket.acquire(state, 0).allowed()).isFalse();
        assertThat(bucket.acquire(state, S + 100 * MS).allowed()).isTrue();
    }
}
