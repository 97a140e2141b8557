package io.gatehouse.plugins.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Bounded waits on the filters' timer, never on a thread that blocks. */
final class Waits {

    private Waits() {
    }

    /**
     * @param future what to wait for
     * @param limit how long at most
     * @param timer the filters' timer
     * @param <T> the value
     * @return a stage completed with the value, or empty when {@code limit} passed first or the
     *     future failed; never failed itself
     */
    static <T> CompletableFuture<Optional<T>> within(CompletableFuture<T> future, Duration limit, ScheduledExecutorService timer) {
        if (future.isDone()) {
            return CompletableFuture.completedFuture(future.isCompletedExceptionally() ? Optional.empty() : Optional.ofNullable(future.join()));
        }
        CompletableFuture<Optional<T>> bounded = new CompletableFuture<>();
        ScheduledFuture<?> timeout;
        try {
            timeout = timer.schedule(() -> bounded.complete(Optional.empty()), limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            bounded.complete(Optional.empty());
            return bounded;
        }
        future.whenComplete((value, failure) -> {
            timeout.cancel(false);
            bounded.complete(failure == null ? Optional.ofNullable(value) : Optional.empty());
        });
        return bounded;
    }
}
