package io.gatehouse.plugins.ratelimit.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.plugins.ratelimit.limit.Decision;
import io.gatehouse.plugins.ratelimit.limit.LimitAlgorithm;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Snapshot;
import io.gatehouse.plugins.ratelimit.limit.Ticker;

import java.time.Duration;

/**
 * One limit's local views for pre-aggregation: per key, the limit's state as Redis last
 * reported it plus this instance's admissions since, and the count of those admissions not yet
 * sent. Keys are bounded and expire as in the local store.
 *
 * @param <S> the algorithm's state
 */
final class BatchedLimit<S> {

    /** One key's view. Its counters are guarded by its own monitor; the state by the algorithm. */
    static final class View<S> {
        final String key;
        final S state;
        long pending;
        boolean queued;
        boolean syncing;

        View(String key, S state) {
            this.key = key;
            this.state = state;
        }
    }

    private final int index;
    private final LimitSpec spec;
    private final LimitAlgorithm<S> algorithm;
    private final Cache<String, View<S>> views;
    private final Ticker ticker;

    BatchedLimit(int index, LimitSpec spec, LimitAlgorithm<S> algorithm, long maxKeys, Ticker ticker) {
        this.index = index;
        this.spec = spec;
        this.algorithm = algorithm;
        this.ticker = ticker;
        this.views = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(Math.max(spec.idleNanos(), 1_000_000)))
                .ticker(ticker::nanos)
                .executor(Runnable::run)
                .build();
    }

    static BatchedLimit<?> of(int index, LimitSpec spec, long maxKeys, Ticker ticker) {
        return create(index, spec, LimitAlgorithm.of(spec), maxKeys, ticker);
    }

    private static <S> BatchedLimit<S> create(int index, LimitSpec spec, LimitAlgorithm<S> algorithm, long maxKeys, Ticker ticker) {
        return new BatchedLimit<>(index, spec, algorithm, maxKeys, ticker);
    }

    int index() {
        return index;
    }

    LimitSpec spec() {
        return spec;
    }

    View<S> view(String key) {
        return views.get(key, k -> new View<>(k, algorithm.newState(ticker.nanos())));
    }

    Decision acquire(View<S> view, long now) {
        return algorithm.acquire(view.state, now);
    }

    void refund(View<S> view, long now) {
        algorithm.refund(view.state, now);
    }

    /**
     * Takes over the state Redis reported after a flush, and charges again what was admitted
     * here while the flush was under way (it goes with the next flush).
     */
    void restore(View<S> view, Snapshot global, long unsent, long now) {
        algorithm.restore(view.state, global, now);
        if (unsent > 0) {
            algorithm.charge(view.state, unsent, now);
        }
    }

    long keys() {
        views.cleanUp();
        return views.estimatedSize();
    }
}
