package io.gatehouse.server.chain;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Response;
import io.gatehouse.server.exchange.LocalResponses;
import io.gatehouse.server.metrics.FilterMeters;
import io.gatehouse.server.tracing.ExchangeTimings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs the filter chain for one exchange: {@code onRequest} in order, {@code onResponse} in
 * reverse for the filters that proceeded, {@code onComplete} once for every filter that saw
 * the request. Turns a throwing or failing hook into 500 and a late hook into 504. Counts and
 * times every hook in the chain's {@link io.gatehouse.server.metrics.FilterMeters}: the latency
 * runs from the call to the completion of the hook's stage (or the deadline).
 *
 * <p>Threading: the exchange calls it on its I/O thread. A hook that returns an incomplete stage
 * is awaited without blocking; when the stage completes (on any thread) or the filter deadline
 * passes (on the timer), that thread only hands the continuation to the exchange's I/O thread
 * ({@code ioThread}), where the rest of the chain runs. Not thread-safe otherwise: one exchange
 * at a time.
 */
public final class ChainExecution {

    private static final Logger LOG = LoggerFactory.getLogger(ChainExecution.class);
    private static final FilterResult PROCEED = FilterResult.proceedResult();

    private final List<ChainEntry> entries;
    private final FilterChain chain;
    private final Exchange exchange;
    private final ScheduledExecutorService scheduler;
    private final long deadlineNanos;
    private final boolean[] seen;
    private final boolean[] proceeded;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final Consumer<Response> onReplace;
    private final Executor ioThread;
    private ExchangeTimings timings = ExchangeTimings.OFF;

    /**
     * @param chain the snapshot the exchange started with
     * @param exchange the exchange
     * @param scheduler timer for filter deadlines
     * @param filterDeadline how long one hook may take
     * @param ioThread the exchange's I/O thread, where continuations after asynchronous hooks run
     * @param onReplace told when an {@code onResponse} hook replaces the response, before the
     *     earlier filters run: it makes the replacement the exchange's response head, so their
     *     edits apply to it
     */
    public ChainExecution(FilterChain chain, Exchange exchange, ScheduledExecutorService scheduler, Duration filterDeadline,
                          Executor ioThread, Consumer<Response> onReplace) {
        this.onReplace = onReplace;
        this.ioThread = ioThread;
        this.entries = chain.entries();
        this.chain = chain;
        this.exchange = exchange;
        this.scheduler = scheduler;
        this.deadlineNanos = filterDeadline.toNanos();
        this.seen = new boolean[entries.size()];
        this.proceeded = new boolean[entries.size()];
    }

    /** @return whether a filter of the exchange's chain reads {@code Outcome.timings()} */
    public boolean timed() {
        return chain.timed();
    }

    /**
     * Records the end of every hook in {@code timings} too (a sampled exchange); by default nothing is recorded.
     *
     * @param timings the exchange's recorder
     */
    public void recordTimings(ExchangeTimings timings) {
        this.timings = timings;
    }

    /**
     * Runs {@code onRequest} of every applicable filter until one answers.
     *
     * @param done receives proceed (go to the origin) or the short-circuit response, exactly once
     */
    public void runRequest(Consumer<FilterResult> done) {
        requestFrom(0, done);
    }

    private void requestFrom(int start, Consumer<FilterResult> done) {
        for (int i = start; i < entries.size(); i++) {
            ChainEntry entry = entries.get(i);
            FilterMeters.Hook meter = chain.meters(i).request();
            try {
                if (!entry.condition().test(exchange)) {
                    continue;
                }
            } catch (RuntimeException | Error e) {
                done.accept(failure(entry, "onRequest", e));
                return;
            }
            if (!markSeen(i)) {
                return; // the exchange has ended: no more hooks
            }
            meter.called();
            long called = System.nanoTime();
            CompletionStage<FilterResult> stage;
            try {
                stage = entry.filter().onRequest(exchange);
            } catch (RuntimeException | Error e) {
                FilterResult failed = failure(entry, "onRequest", e);
                meter.failed(called, false);
                timed(entry, "onRequest", called, "failed");
                done.accept(failed);
                return;
            }
            if (stage == FilterResult.proceed()) {
                meter.proceeded(called);
                timed(entry, "onRequest", called, "proceeded");
                proceeded[i] = true;
                continue;
            }
            CompletableFuture<FilterResult> future = toFuture(stage);
            if (future.isDone()) {
                FilterResult result = record(entry, "onRequest", meter, called, resultOf(entry, "onRequest", future));
                if (result.proceeds()) {
                    proceeded[i] = true;
                    continue;
                }
                done.accept(result);
                return;
            }
            int index = i;
            await(entry, "onRequest", meter, called, future, result -> {
                if (result.proceeds()) {
                    proceeded[index] = true;
                    requestFrom(index + 1, done);
                } else {
                    done.accept(result);
                }
            });
            return;
        }
        done.accept(PROCEED);
    }

    /**
     * Runs {@code onResponse} in reverse order over the filters that proceeded. The exchange's
     * response head must be present. A filter that answers replaces the response; the
     * replacement listener installs it as the exchange's head, and earlier filters then see and
     * edit the replacement.
     *
     * @param done receives proceed (keep the current response) or the last replacement, exactly once
     */
    public void runResponse(Consumer<FilterResult> done) {
        responseFrom(entries.size() - 1, PROCEED, done);
    }

    private void responseFrom(int start, FilterResult replacement, Consumer<FilterResult> done) {
        FilterResult current = replacement;
        for (int i = start; i >= 0; i--) {
            if (!proceeded[i]) {
                continue;
            }
            if (completed.get()) {
                return; // the exchange has ended: no more hooks
            }
            ChainEntry entry = entries.get(i);
            FilterMeters.Hook meter = chain.meters(i).response();
            meter.called();
            long called = System.nanoTime();
            CompletionStage<FilterResult> stage;
            try {
                stage = entry.filter().onResponse(exchange);
            } catch (RuntimeException | Error e) {
                FilterResult failed = failure(entry, "onResponse", e);
                meter.failed(called, false);
                timed(entry, "onResponse", called, "failed");
                done.accept(failed);
                return;
            }
            if (stage == FilterResult.proceed()) {
                meter.proceeded(called);
                timed(entry, "onResponse", called, "proceeded");
                continue;
            }
            CompletableFuture<FilterResult> future = toFuture(stage);
            if (future.isDone()) {
                FilterResult result = record(entry, "onResponse", meter, called, resultOf(entry, "onResponse", future));
                if (!result.proceeds()) {
                    if (isFailure(result) || !replace(entry, result)) {
                        done.accept(isFailure(result) ? result : failure(entry, "onResponse", null));
                        return;
                    }
                    current = result;
                }
                continue;
            }
            int index = i;
            FilterResult before = current;
            await(entry, "onResponse", meter, called, future, result -> {
                if (isFailure(result)) {
                    done.accept(result);
                } else if (result.proceeds()) {
                    responseFrom(index - 1, before, done);
                } else if (replace(entry, result)) {
                    responseFrom(index - 1, result, done);
                } else {
                    done.accept(failure(entry, "onResponse", null));
                }
            });
            return;
        }
        done.accept(current);
    }

    /** Installs a replacement response; false when that failed (logged). */
    private boolean replace(ChainEntry entry, FilterResult result) {
        try {
            onReplace.accept(result.response().orElseThrow());
            return true;
        } catch (RuntimeException e) {
            LOG.error("Filter {} replaced the response of exchange {} with one that cannot be sent", entry.name(),
                    exchange.id(), e);
            return false;
        }
    }

    /**
     * Calls {@code onComplete} on every filter that saw the request; only the first call has
     * an effect, and no filter's {@code onRequest} or {@code onResponse} starts afterwards.
     *
     * @param outcome how the exchange ended
     */
    public void complete(Outcome outcome) {
        boolean[] toComplete;
        synchronized (seen) {
            if (!completed.compareAndSet(false, true)) {
                return;
            }
            toComplete = seen.clone();
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (!toComplete[i]) {
                continue;
            }
            ChainEntry entry = entries.get(i);
            FilterMeters meters = chain.meters(i);
            meters.completeCalled();
            try {
                entry.filter().onComplete(exchange, outcome);
            } catch (RuntimeException | Error e) {
                meters.completeFailed();
                LOG.error("Filter {} failed in onComplete of exchange {}", entry.name(), exchange.id(), e);
            }
        }
    }

    /** Records that filter {@code i} sees the request; false once the exchange has completed. */
    private boolean markSeen(int i) {
        synchronized (seen) {
            if (completed.get()) {
                return false;
            }
            seen[i] = true;
            return true;
        }
    }

    private static CompletableFuture<FilterResult> toFuture(CompletionStage<FilterResult> stage) {
        if (stage == null) {
            return CompletableFuture.failedFuture(new NullPointerException("hook returned no stage"));
        }
        try {
            return stage.toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Records how a hook's call ended; returns {@code result}. */
    private FilterResult record(ChainEntry entry, String hook, FilterMeters.Hook meter, long called, FilterResult result) {
        if (result.proceeds()) {
            meter.proceeded(called);
            timed(entry, hook, called, "proceeded");
        } else if (isFailure(result)) {
            boolean timedOut = LocalResponses.of(result.response().orElseThrow()).orElseThrow() == LocalResponses.FILTER_TIMEOUT;
            meter.failed(called, timedOut);
            timed(entry, hook, called, timedOut ? "timeout" : "failed");
        } else {
            meter.answered(called);
            timed(entry, hook, called, "answered");
        }
        return result;
    }

    /** Records a hook's end in the exchange's timings, when it is sampled. */
    private void timed(ChainEntry entry, String hook, long called, String result) {
        if (timings.on()) {
            timings.hook(entry.name(), hook, called, result);
        }
    }

    private void await(ChainEntry entry, String hook, FilterMeters.Hook meter, long called, CompletableFuture<FilterResult> future,
                       Consumer<FilterResult> next) {
        AtomicBoolean once = new AtomicBoolean();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (once.compareAndSet(false, true)) {
                LOG.warn("Filter {} did not complete {} of exchange {} within {} ms", entry.name(), hook, exchange.id(),
                        TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
                meter.failed(called, true);
                timed(entry, hook, called, "timeout");
                ioThread.execute(() -> next.accept(FilterResult.respondResult(LocalResponses.FILTER_TIMEOUT.response())));
            }
        }, deadlineNanos, TimeUnit.NANOSECONDS);
        future.whenComplete((result, error) -> {
            if (once.compareAndSet(false, true)) {
                timer.cancel(false);
                ioThread.execute(() -> {
                    try {
                        next.accept(record(entry, hook, meter, called, resultOf(entry, hook, future)));
                    } catch (RuntimeException | Error e) {
                        LOG.error("Chain step after filter {} failed for exchange {}", entry.name(), exchange.id(), e);
                    }
                });
            }
        });
    }

    private FilterResult resultOf(ChainEntry entry, String hook, CompletableFuture<FilterResult> future) {
        try {
            FilterResult result = future.join();
            if (result == null) {
                return failure(entry, hook, new NullPointerException("hook completed with null"));
            }
            return result;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return failure(entry, hook, cause);
        }
    }

    private FilterResult failure(ChainEntry entry, String hook, Throwable error) {
        if (error != null) {
            LOG.error("Filter {} failed in {} of exchange {}", entry.name(), hook, exchange.id(), error);
        }
        return FilterResult.respondResult(LocalResponses.FILTER_FAILED.response());
    }

    private static boolean isFailure(FilterResult result) {
        return result.response().flatMap(LocalResponses::of)
                .map(entry -> entry == LocalResponses.FILTER_FAILED || entry == LocalResponses.FILTER_TIMEOUT)
                .orElse(false);
    }
}
