package io.gatehouse.plugins.canary;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The canaries' error window of one split: judged requests and failures in per-second buckets
 * over the last {@code window}, and totals of the canary requests that were not judged.
 * Thread-safe, lock-free.
 */
final class RollbackWindow {

    static final int BUCKETS = 60;

    private final Split.Rollback rollback;
    private final long windowSeconds;
    // per bucket: the second it holds, judged requests, failures
    private final AtomicLongArray bucketSecond = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray bucketRequests = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray bucketErrors = new AtomicLongArray(BUCKETS);
    private final LongAdder notJudged = new LongAdder();
    private final LongAdder overridden = new LongAdder();

    /**
     * Failures and judged requests over the window.
     *
     * @param requests judged requests
     * @param errors failures among them
     */
    record Tally(long requests, long errors) {
    }

    RollbackWindow(Split.Rollback rollback) {
        this.rollback = rollback;
        this.windowSeconds = Math.max(1, Math.min(BUCKETS, rollback.window().toSeconds()));
    }

    /**
     * Counts a judged request.
     *
     * @param failed whether the upstream failed it
     * @param nowMillis the current time
     * @return the window's tally, when it now calls for a rollback; otherwise empty
     */
    Optional<Tally> record(boolean failed, long nowMillis) {
        long second = nowMillis / 1000;
        int slot = (int) (second % BUCKETS);
        long seen = bucketSecond.get(slot);
        if (seen != second && bucketSecond.compareAndSet(slot, seen, second)) {
            bucketRequests.set(slot, 0);
            bucketErrors.set(slot, 0);
        }
        bucketRequests.incrementAndGet(slot);
        if (failed) {
            bucketErrors.incrementAndGet(slot);
        }
        Tally tally = tally(second);
        boolean over = tally.requests() >= rollback.minRequests() && tally.errors() * 100.0 / tally.requests() > rollback.maxErrorPercent();
        return over ? Optional.of(tally) : Optional.empty();
    }

    /** Counts a canary request whose outcome the upstream did not decide. */
    void notJudged() {
        notJudged.increment();
    }

    /** Counts a canary request that an override forced there. */
    void overridden() {
        overridden.increment();
    }

    private Tally tally(long second) {
        long requests = 0;
        long errors = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (second - bucketSecond.get(i) < windowSeconds) {
                requests += bucketRequests.get(i);
                errors += bucketErrors.get(i);
            }
        }
        return new Tally(requests, errors);
    }

    /** @return one line for {@code /status} */
    String status(long nowMillis) {
        Tally tally = tally(nowMillis / 1000);
        return String.format(Locale.ROOT, "  rollback: %d of %d judged canary requests failed in the last %ds (rolls back over %s%%);"
                        + " not judged: %d without an upstream answer, %d forced by override\n", tally.errors(), tally.requests(),
                windowSeconds, percent(rollback.maxErrorPercent()), notJudged.sum(), overridden.sum());
    }

    private static String percent(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
