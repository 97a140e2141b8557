package io.gatehouse.plugins.ratelimit.redis;

import io.gatehouse.plugins.ratelimit.limit.CounterStore;
import io.gatehouse.plugins.ratelimit.limit.Decision;
import io.gatehouse.plugins.ratelimit.limit.KeyValues;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Snapshot;
import io.gatehouse.plugins.ratelimit.limit.Ticker;
import io.gatehouse.plugins.ratelimit.limit.Verdict;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Redis counters with local pre-aggregation ({@code redis.batch}): every decision is taken at
 * once against this instance's view of each key (the state Redis last reported, plus this
 * instance's admissions since), and the admissions are sent to Redis in batches, as a
 * {@code charge} of the script, when a key has {@code size} of them or every {@code interval}.
 * The reply, which includes every instance's charges, becomes the key's new view. Requests never
 * wait for Redis.
 *
 * <p>The trade-off: between two flushes an instance does not see the others' admissions, so the
 * instances together can admit up to about {@code instances × size} requests per key beyond the
 * limit (the first flush of a new key included); charges past the limit put the key in debt, which
 * later admissions repay, so over longer runs the total converges to the limit. While Redis does
 * not answer, each instance goes on limiting with its own view (fail-open), or refuses with 503
 * (fail-closed); unsent admissions are dropped, not replayed as a lump later.
 */
public final class BatchingStore implements CounterStore {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingStore.class);

    /** A view waiting to be flushed. */
    private record Flush(BatchedLimit<?> limit, BatchedLimit.View<?> view) {
    }

    private final RedisStore remote;
    private final List<BatchedLimit<?>> limits;
    private final RedisSettings settings;
    private final ScheduledExecutorService timer;
    private final Ticker ticker;
    private final int size;
    private final ConcurrentLinkedQueue<Flush> queue = new ConcurrentLinkedQueue<>();
    private final ScheduledFuture<?> flusher;
    private final FailureLog failures;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final LongAdder flushes = new LongAdder();
    private final LongAdder allowed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder refusedByPolicy = new LongAdder();

    /**
     * @param specs the filter's limits, in config order
     * @param settings the {@code redis:} section, with {@code batch}
     * @param name the filter instance's name (part of every key)
     * @param timer the timer of flushes and timeouts
     * @param ticker the local time source
     * @param maxKeys the most keys viewed per limit
     */
    public BatchingStore(List<LimitSpec> specs, RedisSettings settings, String name, ScheduledExecutorService timer, Ticker ticker,
                         long maxKeys) {
        RedisSettings.Batching batching = settings.batching().orElseThrow();
        this.remote = new RedisStore(specs, settings, name, timer);
        this.settings = settings;
        this.timer = timer;
        this.ticker = ticker;
        this.size = batching.size();
        List<BatchedLimit<?>> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            list.add(BatchedLimit.of(i, specs.get(i), maxKeys, ticker));
        }
        this.limits = List.copyOf(list);
        this.failures = new FailureLog(LOG, name + ": cannot flush to Redis " + RedisConnector.describe(settings) + " ("
                + settings.failure().configName() + ": " + (settings.failure() == FailurePolicy.FAIL_OPEN
                ? "each instance limits on its own meanwhile" : "requests refused with 503 meanwhile") + ")");
        long every = batching.interval().toNanos();
        this.flusher = timer.scheduleWithFixedDelay(this::flushQueued, every, every, TimeUnit.NANOSECONDS);
    }

    @Override
    public CompletionStage<Verdict> acquire(KeyValues keys) {
        if (keys.applicable() == 0) {
            return CompletableFuture.completedFuture(Verdict.unlimited());
        }
        if (failing.get() && settings.failure() == FailurePolicy.FAIL_CLOSED) {
            refusedByPolicy.increment();
            return CompletableFuture.completedFuture(Verdict.failedClosed());
        }
        long now = ticker.nanos();
        BatchedLimit.View<?>[] views = new BatchedLimit.View<?>[limits.size()];
        Decision[] decisions = new Decision[limits.size()];
        boolean rejection = false;
        for (int i = 0; i < views.length; i++) {
            if (keys.applies(i)) {
                views[i] = view(limits.get(i), keys.key(i));
                decisions[i] = acquire(limits.get(i), views[i], now);
                rejection |= !decisions[i].allowed();
            }
        }
        if (rejection) {
            for (int i = 0; i < views.length; i++) {
                if (views[i] != null && decisions[i].allowed()) {
                    refund(limits.get(i), views[i], now);
                }
            }
            rejected.increment();
        } else {
            for (int i = 0; i < views.length; i++) {
                if (views[i] != null) {
                    admitted(limits.get(i), views[i]);
                }
            }
            allowed.increment();
        }
        return CompletableFuture.completedFuture(Verdict.combine(keys, decisions));
    }

    private static <S> BatchedLimit.View<S> view(BatchedLimit<S> limit, String key) {
        return limit.view(key);
    }

    @SuppressWarnings("unchecked")
    private static <S> Decision acquire(BatchedLimit<S> limit, BatchedLimit.View<?> view, long now) {
        return limit.acquire((BatchedLimit.View<S>) view, now);
    }

    @SuppressWarnings("unchecked")
    private static <S> void refund(BatchedLimit<S> limit, BatchedLimit.View<?> view, long now) {
        limit.refund((BatchedLimit.View<S>) view, now);
    }

    /** Counts an admission for the next flush; flushes at once when the key has a batch. */
    private void admitted(BatchedLimit<?> limit, BatchedLimit.View<?> view) {
        boolean now;
        synchronized (view) {
            view.pending++;
            if (!view.queued) {
                view.queued = true;
                queue.add(new Flush(limit, view));
            }
            now = view.pending >= size && !view.syncing;
        }
        if (now) {
            flush(limit, view);
        }
    }

    private void flushQueued() {
        Flush next;
        List<Flush> due = new ArrayList<>();
        while ((next = queue.poll()) != null) {
            due.add(next);
        }
        for (Flush flush : due) {
            synchronized (flush.view()) {
                flush.view().queued = false;
            }
            flush(flush.limit(), flush.view());
        }
    }

    /** Sends a key's unsent admissions to Redis and takes the reply as its view. */
    private <S> void flush(BatchedLimit<S> limit, BatchedLimit.View<?> untyped) {
        @SuppressWarnings("unchecked")
        BatchedLimit.View<S> view = (BatchedLimit.View<S>) untyped;
        long count;
        synchronized (view) {
            if (view.syncing || view.pending == 0) {
                return;
            }
            count = view.pending;
            view.pending = 0;
            view.syncing = true;
        }
        Optional<RedisScriptingAsyncCommands<String, String>> commands = remote.connector().commands();
        if (commands.isEmpty()) {
            done(view, "not connected yet");
            return;
        }
        String[] keys = {remote.keys().key(limit.index(), view.key)};
        String[] args = RateLimitScript.arguments(RateLimitScript.CHARGE, 0, count, List.of(limit.spec()));
        CompletableFuture<Snapshot> reply = new CompletableFuture<>();
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> reply.completeExceptionally(new IllegalStateException("timed out")),
                    settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            done(view, "the timer has stopped");
            return;
        }
        remote.run(commands.get(), keys, args).whenComplete((result, error) -> {
            deadline.cancel(false);
            if (error != null) {
                reply.completeExceptionally(error);
            } else {
                try {
                    reply.complete(RateLimitScript.snapshots(result).get(0));
                } catch (RuntimeException e) {
                    reply.completeExceptionally(e);
                }
            }
        });
        reply.whenComplete((global, error) -> {
            if (error != null) {
                done(view, String.valueOf(error.getMessage()));
                return;
            }
            flushes.increment();
            failing.set(false);
            boolean again;
            synchronized (view) {
                limit.restore(view, global, view.pending, ticker.nanos());
                view.syncing = false;
                again = view.pending >= size;
            }
            if (again) {
                flush(limit, view);
            }
        });
    }

    /** Ends a flush that failed: its admissions are dropped (they were admitted here, and stay in this view). */
    private void done(BatchedLimit.View<?> view, String reason) {
        synchronized (view) {
            view.syncing = false;
        }
        failing.set(true);
        failures.failed(reason);
    }

    @Override
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        lines.add(remote.status().get(0) + ", batches of " + size + " every " + settings.batching().orElseThrow().interval().toMillis() + "ms");
        lines.add("decisions: allowed " + allowed.sum() + ", rejected " + rejected.sum() + ", refused by the failure policy "
                + refusedByPolicy.sum() + "; flushes " + flushes.sum() + ", failed flushes " + failures.total()
                + (failing.get() ? " (failing now)" : ""));
        for (BatchedLimit<?> limit : limits) {
            lines.add("limit " + limit.spec().name() + ": " + limit.keys() + " keys viewed");
        }
        return lines;
    }

    @Override
    public void close() {
        flusher.cancel(false);
        flushQueued();
        remote.close();
    }
}
