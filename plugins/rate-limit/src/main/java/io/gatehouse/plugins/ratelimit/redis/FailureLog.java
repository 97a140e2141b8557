package io.gatehouse.plugins.ratelimit.redis;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts Redis failures and logs them at {@code WARN}, at most one line per period, with the
 * number of failures since the last line: a Redis outage under load must not flood the log.
 */
final class FailureLog {

    private static final long PERIOD = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String subject;
    private final LongAdder total = new LongAdder();
    private final LongAdder unreported = new LongAdder();
    private final AtomicLong nextLine = new AtomicLong(System.nanoTime());

    /**
     * @param log where to log
     * @param subject what failed and what happens then, e.g. {@code rate-limit#0: Redis redis://... (fail-open: requests admitted)}
     */
    FailureLog(Logger log, String subject) {
        this.log = log;
        this.subject = subject;
    }

    /** @param reason what went wrong this time */
    void failed(String reason) {
        total.increment();
        long now = System.nanoTime();
        long due = nextLine.get();
        if (now - due >= 0 && nextLine.compareAndSet(due, now + PERIOD)) {
            long before = unreported.sumThenReset();
            log.warn("{}: {}{}", subject, reason, before == 0 ? "" : " (and " + before + " more failures since the last report)");
        } else {
            unreported.increment();
        }
    }

    /** @return the failures so far */
    long total() {
        return total.sum();
    }
}
