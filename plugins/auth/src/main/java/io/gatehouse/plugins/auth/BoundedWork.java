package io.gatehouse.plugins.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * CPU-heavy work (password hashes, EC and EdDSA signatures) handed to the server's blocking
 * executor, at most {@code maxPending} tasks of one mechanism at a time. Past that, or when the
 * executor refuses work, the stage fails at once with {@link Overloaded} (the filter answers 503)
 * instead of queueing without bound or running the work on an I/O thread. Thread-safe.
 */
final class BoundedWork {

    /** The stage's failure when too much work is under way: answer 503, do not queue. */
    static final class Overloaded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overloaded() {
            super("too many credential checks under way", null, false, false);
        }
    }

    private final Executor executor;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();

    /**
     * @param executor the blocking executor
     * @param maxPending how many tasks may run or wait at once
     */
    BoundedWork(Executor executor, int maxPending) {
        this.executor = executor;
        this.maxPending = maxPending;
    }

    /**
     * @param task the work
     * @param <T> its result
     * @return its result, completed on the executor; failed with {@link Overloaded} when refused
     */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            result.completeExceptionally(new Overloaded());
            return result;
        }
        try {
            executor.execute(() -> {
                try {
                    result.complete(task.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            result.completeExceptionally(new Overloaded());
        }
        return result;
    }

    /** @return how many tasks run or wait now */
    int pending() {
        return pending.get();
    }
}
