package io.gatehouse.plugins.ratelimit.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.function.Function;

/**
 * One limit's keys in memory: a bounded Caffeine map from key to state. A key unused for the
 * limit's idle time is dropped (its state would be as good as new by then); beyond
 * {@code maxKeys} the least valuable keys are evicted (W-TinyLFU: a flood of one-off keys does
 * not push out keys in steady use). Reads are lock-free; each key's state changes atomically on
 * its own (see {@link LimitAlgorithm}).
 *
 * @param <S> the algorithm's state
 */
public final class LocalLimiter<S> {

    private final LimitSpec spec;
    private final LimitAlgorithm<S> algorithm;
    private final Cache<String, S> states;
    private final Function<String, S> fresh;
    private final Ticker ticker;

    /**
     * @param spec the limit
     * @param algorithm its algorithm
     * @param maxKeys the most keys held
     * @param ticker the time source
     */
    public LocalLimiter(LimitSpec spec, LimitAlgorithm<S> algorithm, long maxKeys, Ticker ticker) {
        this.spec = spec;
        this.algorithm = algorithm;
        this.ticker = ticker;
        this.fresh = key -> algorithm.newState(ticker.nanos());
        this.states = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(Math.max(spec.idleNanos(), 1_000_000)))
                .ticker(ticker::nanos)
                .executor(Runnable::run)
                .build();
    }

    /**
     * @param spec the limit
     * @param maxKeys the most keys held
     * @param ticker the time source
     * @return a limiter with the limit's own algorithm
     */
    public static LocalLimiter<?> of(LimitSpec spec, long maxKeys, Ticker ticker) {
        return create(spec, LimitAlgorithm.of(spec), maxKeys, ticker);
    }

    private static <S> LocalLimiter<S> create(LimitSpec spec, LimitAlgorithm<S> algorithm, long maxKeys, Ticker ticker) {
        return new LocalLimiter<>(spec, algorithm, maxKeys, ticker);
    }

    /** @return the limit */
    public LimitSpec spec() {
        return spec;
    }

    /**
     * @param key the key
     * @param now the current time
     * @return the decision for one request of {@code key}
     */
    public Decision acquire(String key, long now) {
        return algorithm.acquire(states.get(key, fresh), now);
    }

    /**
     * Gives back a request {@link #acquire} admitted; nothing when the key has been evicted since.
     *
     * @param key the key
     * @param now the current time
     */
    public void refund(String key, long now) {
        S state = states.getIfPresent(key);
        if (state != null) {
            algorithm.refund(state, now);
        }
    }

    /**
     * @param key the key
     * @param count requests admitted elsewhere, charged whatever the limit says
     * @param now the current time
     */
    public void charge(String key, long count, long now) {
        algorithm.charge(states.get(key, fresh), count, now);
    }

    /**
     * @param key the key
     * @param now the current time
     * @return the key's state, that of a fresh key when unknown
     */
    public Snapshot snapshot(String key, long now) {
        return algorithm.snapshot(states.get(key, fresh), now);
    }

    /**
     * @param key the key
     * @param snapshot the state to take over
     * @param now the current time
     */
    public void restore(String key, Snapshot snapshot, long now) {
        algorithm.restore(states.get(key, fresh), snapshot, now);
    }

    /** @return the time source */
    public Ticker ticker() {
        return ticker;
    }

    /** @return the keys held, after pending evictions and expiries */
    public long keys() {
        states.cleanUp();
        return states.estimatedSize();
    }

    /** Runs pending evictions and expiries now. */
    public void cleanUp() {
        states.cleanUp();
    }
}
