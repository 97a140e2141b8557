package io.gatehouse.server.outbound;

import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.OutboundTimeoutException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/**
 * One call's stage, as {@code send} returns it: completing it (with the response, a failure, the
 * deadline or a cancellation) abandons whatever httpclient5 still does for it, which closes the
 * connection unless the exchange had ended cleanly.
 */
final class OutboundCall extends CompletableFuture<OutboundResponse> {

    private final OutboundRequest request;
    private volatile Future<OutboundResponse> exchange;
    private volatile ScheduledFuture<?> deadline;

    OutboundCall(OutboundRequest request) {
        this.request = request;
    }

    OutboundRequest request() {
        return request;
    }

    /** Ties httpclient5's exchange to this stage; it is cancelled at once when the stage already ended. */
    void started(Future<OutboundResponse> running, ScheduledFuture<?> timer) {
        this.exchange = running;
        this.deadline = timer;
        if (isDone()) {
            abandon();
        }
    }

    /** The deadline: fails the stage, then abandons the exchange. */
    void expire() {
        completeExceptionally(new OutboundTimeoutException(request + ": no whole response within " + request.timeout()));
    }

    @Override
    public boolean complete(OutboundResponse value) {
        boolean completed = super.complete(value);
        abandon();
        return completed;
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        boolean completed = super.completeExceptionally(failure);
        abandon();
        return completed;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        abandon();
        return cancelled;
    }

    private void abandon() {
        ScheduledFuture<?> timer = deadline;
        if (timer != null) {
            timer.cancel(false);
        }
        Future<OutboundResponse> running = exchange;
        if (running != null && !running.isDone()) {
            running.cancel(true);
        }
    }
}
