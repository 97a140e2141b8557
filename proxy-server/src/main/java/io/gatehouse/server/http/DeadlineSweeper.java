package io.gatehouse.server.http;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces per-exchange deadlines (the origin's response timeout) with one periodic sweep
 * instead of one timer task per request: registering costs a set insertion, cancelling a
 * volatile write, and the sweep drops cancelled entries. Precision is the sweep period.
 */
final class DeadlineSweeper {

    /** Something with a deadline. */
    interface Watched {
        /**
         * @param nowNanos the current {@link System#nanoTime()}
         * @return true to stay watched, false when it has no deadline any more
         */
        boolean checkDeadline(long nowNanos);
    }

    static final long PERIOD_MILLIS = 50;

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeping;

    void start(ScheduledExecutorService scheduler) {
        sweeping = scheduler.scheduleAtFixedRate(this::sweep, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
    }

    void watch(Watched item) {
        watched.add(item);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
            Watched item = it.next();
            try {
                if (!item.checkDeadline(now)) {
                    it.remove();
                }
            } catch (RuntimeException e) {
                it.remove();
            }
        }
    }
}
