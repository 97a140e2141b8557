package io.gatehouse.server.exchange;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs every server error the proxy made itself (a {@code 5xx} with a detail code: the upstream
 * refused, timed out or broke off, a filter failed or timed out) at {@code WARN}, with the
 * exchange id, request id, request, route, cluster, upstream, attempts and reason. At most {@value
 * #LINES_PER_SECOND} lines a second: past that, the lines of that second are counted and the
 * count is logged with the next line, so a dead origin cannot flood the log. Thread-safe.
 */
final class ProxyErrorLog {

    static final int LINES_PER_SECOND = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ProxyErrorLog.class);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoClock;
    private final AtomicLong windowStart;
    private final AtomicInteger linesInWindow = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    ProxyErrorLog(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.windowStart = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * @param outcome how an exchange ended
     * @param id the exchange's id ({@code Exchange.id()})
     * @param requestId its request id ({@code Keys.REQUEST_ID}), {@code -} when request ids are off
     * @param method its request method
     * @param path its request path (without the query, which may hold secrets)
     * @return whether a line was logged
     */
    boolean exchangeEnded(Outcome outcome, String id, String requestId, String method, String path) {
        if (outcome.status() < 500 || outcome.detail().isEmpty()) {
            return false;
        }
        if (!admitLine()) {
            suppressed.incrementAndGet();
            return false;
        }
        long dropped = suppressed.getAndSet(0);
        LOG.warn("Exchange {} (request id {}) {} {}: {} {}; route {}, cluster {}, upstream {}, {} attempt(s){}{}", id, requestId,
                method, path,
                outcome.status(), outcome.detail().get(), outcome.route().orElse("-"), outcome.cluster().orElse("-"),
                outcome.upstream().map(Upstream::toString).orElse("-"), outcome.attempts(),
                outcome.failure().map(f -> ": " + f).orElse(""),
                dropped == 0 ? "" : " (" + dropped + " more such error(s) not logged: over " + LINES_PER_SECOND + " a second)");
        return true;
    }

    private boolean admitLine() {
        long now = nanoClock.getAsLong();
        long start = windowStart.get();
        if (now - start >= SECOND && windowStart.compareAndSet(start, now)) {
            linesInWindow.set(0);
        }
        return linesInWindow.incrementAndGet() <= LINES_PER_SECOND;
    }
}
