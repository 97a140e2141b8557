package io.gatehouse.server.listener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code server.limits.connections}: how many client connections may be open at once. A
 * connection past the limit is closed as soon as it is accepted, before a byte is read, and
 * counted; the refusals are logged at most once per {@value #LOG_EVERY_SECONDS} seconds with
 * their count, so a flood cannot flood the log too. Thread-safe.
 */
final class ConnectionLimit {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final long LOG_EVERY_SECONDS = 10;

    private final int max;
    private final LongSupplier nanoClock;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong nextLogNanos;

    /**
     * @param max the most client connections open at once
     * @param nanoClock a monotonic clock in nanoseconds (for the log's pace)
     */
    ConnectionLimit(int max, LongSupplier nanoClock) {
        this.max = max;
        this.nanoClock = nanoClock;
        this.nextLogNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * A client connection was accepted.
     *
     * @return true when it may stay open (call {@link #closed()} when it closes); false when it is
     *     over the limit and must be closed now (it is counted as refused, not as open)
     */
    boolean tryOpen() {
        if (open.incrementAndGet() <= max) {
            return true;
        }
        open.decrementAndGet();
        refused.incrementAndGet();
        long unlogged = refusedSinceLog.incrementAndGet();
        long now = nanoClock.getAsLong();
        long next = nextLogNanos.get();
        if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS))) {
            refusedSinceLog.addAndGet(-unlogged);
            LOG.warn("Refused {} client connection(s) since the last such warning: {} are open, the most that "
                    + "server.limits.connections allows", unlogged, max);
        }
        return false;
    }

    /** A connection that {@link #tryOpen()} let in has closed. */
    void closed() {
        open.decrementAndGet();
    }

    /** @return client connections open now */
    int open() {
        return open.get();
    }

    /** @return client connections refused since start */
    long refused() {
        return refused.get();
    }
}
