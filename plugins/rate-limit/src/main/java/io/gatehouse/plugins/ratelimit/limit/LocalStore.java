package io.gatehouse.plugins.ratelimit.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters in this process only: every limit in its own bounded {@link LocalLimiter}. A request
 * is checked against every limit that applies; when one rejects it, the others give back what
 * they charged, so a rejected request costs no limit anything. (For that instant another request
 * may see one token fewer than it would: the error is on the strict side.)
 */
public final class LocalStore implements CounterStore {

    private final List<LocalLimiter<?>> limiters;
    private final Ticker ticker;
    private final LongAdder allowed = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    /**
     * @param limits the filter's limits, in config order
     * @param maxKeys the most keys held per limit
     * @param ticker the time source
     */
    public LocalStore(List<LimitSpec> limits, long maxKeys, Ticker ticker) {
        List<LocalLimiter<?>> list = new ArrayList<>();
        for (LimitSpec spec : limits) {
            list.add(LocalLimiter.of(spec, maxKeys, ticker));
        }
        this.limiters = List.copyOf(list);
        this.ticker = ticker;
    }

    /**
     * Decides at once, on the calling thread.
     *
     * @param keys the request's key per limit
     * @return the verdict
     */
    public Verdict decide(KeyValues keys) {
        if (keys.applicable() == 0) {
            return Verdict.unlimited();
        }
        long now = ticker.nanos();
        Decision[] decisions = new Decision[limiters.size()];
        boolean rejection = false;
        for (int i = 0; i < decisions.length; i++) {
            if (keys.applies(i)) {
                decisions[i] = limiters.get(i).acquire(keys.key(i), now);
                rejection |= !decisions[i].allowed();
            }
        }
        if (rejection) {
            for (int i = 0; i < decisions.length; i++) {
                if (decisions[i] != null && decisions[i].allowed()) {
                    limiters.get(i).refund(keys.key(i), now);
                }
            }
            rejected.increment();
        } else {
            allowed.increment();
        }
        return Verdict.combine(keys, decisions);
    }

    @Override
    public CompletionStage<Verdict> acquire(KeyValues keys) {
        return CompletableFuture.completedFuture(decide(keys));
    }

    /** @return the limiters, by limit index */
    public List<LocalLimiter<?>> limiters() {
        return limiters;
    }

    @Override
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        lines.add("store: local, allowed " + allowed.sum() + ", rejected " + rejected.sum());
        for (LocalLimiter<?> limiter : limiters) {
            lines.add("limit " + limiter.spec().name() + ": " + limiter.keys() + " keys");
        }
        return lines;
    }

    /** Runs pending evictions and expiries of every limit (called periodically, so idle memory is returned). */
    public void cleanUp() {
        for (LocalLimiter<?> limiter : limiters) {
            limiter.cleanUp();
        }
    }

    @Override
    public void close() {
        for (LocalLimiter<?> limiter : limiters) {
            limiter.cleanUp();
        }
    }
}
