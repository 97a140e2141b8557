package io.gatehouse.plugins.ratelimit.limit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sliding window counter on a time the test moves. */
class SlidingWindowTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private static SlidingWindow window(String rate) {
        LimitSpec spec = new LimitSpec("w", Rate.parse(rate), Rate.parse(rate).count(), Algorithm.SLIDING_WINDOW);
        return new SlidingWindow(spec);
    }

    @Test
    void admitsTheCountPerWindow() {
        SlidingWindow window = window("10/s");
        SlidingWindow.State state = window.newState(0);
        for (int i = 9; i >= 0; i--) {
            assertThat(window.acquire(state, 0).remaining()).isEqualTo(i);
        }
        Decision rejected = window.acquire(state, 500 * MS);
        assertThat(rejected.allowed()).isFalse();
        // Next window: the 10 of this one weigh 10 * (1 - x), so one more fits once x >= 0.1 s.
        assertThat(rejected.retryAfterNanos()).isEqualTo(600 * MS);
        assertThat(window.acquire(state, S + 99 * MS).allowed()).isFalse();
        assertThat(window.acquire(state, S + 100 * MS).allowed()).isTrue();
    }

    @Test
    void thePreviousWindowWeighsLessAsTheWindowSlides() {
        SlidingWindow window = window("100/min");
        SlidingWindow.State state = window.newState(0);
        for (int i = 0; i < 100; i++) {
            window.acquire(state, 30 * S);
        }
        // At 1:15, a quarter into the next window: 100 * 0.75 = 75 counted, so 25 more.
        int admitted = 0;
        while (window.acquire(state, 75 * S).allowed()) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(25);
        // Two windows later nothing is left.
        assertThat(window.acquire(state, 180 * S).remaining()).isEqualTo(99);
    }

    @Test
    void evenTrafficGetsTheRateOverManyWindows() {
        SlidingWindow window = window("100/s");
        SlidingWindow.State state = window.newState(0);
        int admitted = 0;
        for (long t = 0; t < 10 * S; t += MS) {
            if (window.acquire(state, t).allowed()) {
                admitted++;
            }
        }
        assertThat(admitted).isBetween(990, 1010);
    }

    @Test
    void neverAdmitsMoreThanTheCountWithinOneFixedWindow() {
        SlidingWindow window = window("50/s");
        SlidingWindow.State state = window.newState(0);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        int[] perWindow = new int[100];
        long t = 0;
        while (t < 100 * S) {
            if (window.acquire(state, t).allowed()) {
                perWindow[(int) (t / S)]++;
            }
            t += random.nextLong(0, 20 * MS);
        }
        for (int count : perWindow) {
            assertThat(count).isLessThanOrEqualTo(50);
        }
    }

    @Test
    void refundChargeAndSnapshot() {
        SlidingWindow window = window("10/s");
        SlidingWindow.State state = window.newState(0);
        window.acquire(state, 0);
        window.refund(state, 0);
        window.charge(state, 4, 200 * MS);
        Snapshot snapshot = window.snapshot(state, 200 * MS);
        assertThat(snapshot).isEqualTo(new Snapshot(4, 0, 200 * MS));
        SlidingWindow.State other = window.newState(0);
        window.restore(other, snapshot, 5 * S + 200 * MS);
        assertThat(window.acquire(other, 5 * S + 200 * MS).remaining()).isEqualTo(5);
    }
}
