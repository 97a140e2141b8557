package io.gatehouse.plugins.ratelimit.concurrency;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * One request's place at a {@link ConcurrencyLimiter} gate: admitted, refused, or waiting.
 * {@link #close()} ends it whatever its state, exactly once: it frees the slot of an admitted
 * request (for the next waiter), and withdraws a waiting one.
 */
public final class Ticket implements AutoCloseable {

    private enum State { WAITING, HELD, REFUSED, CLOSED }

    private static final CompletionStage<Boolean> YES = CompletableFuture.completedFuture(true);
    private static final CompletionStage<Boolean> NO = CompletableFuture.completedFuture(false);

    private final ConcurrencyLimiter.Gate gate;
    private final CompletableFuture<Boolean> admitted;
    private State state;
    private ScheduledFuture<?> deadline;
    private long admittedAt;

    private Ticket(ConcurrencyLimiter.Gate gate, State state, CompletableFuture<Boolean> admitted) {
        this.gate = gate;
        this.state = state;
        this.admitted = admitted;
    }

    static Ticket held(ConcurrencyLimiter.Gate gate) {
        Ticket ticket = new Ticket(gate, State.HELD, null);
        ticket.admittedAt = System.nanoTime();
        return ticket;
    }

    static Ticket refusedAt(ConcurrencyLimiter.Gate gate) {
        return new Ticket(gate, State.REFUSED, null);
    }

    static Ticket waitingAt(ConcurrencyLimiter.Gate gate) {
        return new Ticket(gate, State.WAITING, new CompletableFuture<>());
    }

    /** @return completes with whether the request may go on */
    public CompletionStage<Boolean> admitted() {
        if (admitted != null) {
            return admitted;
        }
        synchronized (gate) {
            return state == State.HELD ? YES : NO;
        }
    }

    void deadline(ScheduledFuture<?> task) {
        synchronized (gate) {
            if (state == State.WAITING) {
                deadline = task;
                return;
            }
        }
        task.cancel(false);
    }

    /** Called by the gate's hand-over (outside its monitor): the slot is this ticket's now. */
    void grant() {
        ScheduledFuture<?> task;
        synchronized (gate) {
            task = deadline;
        }
        if (task != null) {
            task.cancel(false);
        }
        admitted.complete(true);
    }

    /** @return whether the ticket was still waiting (it is refused now) */
    boolean expire() {
        synchronized (gate) {
            if (state != State.WAITING) {
                return false;
            }
            state = State.REFUSED;
            gate.forget(this);
        }
        admitted.complete(false);
        return true;
    }

    /** Ends the request's use of the gate: frees its slot, or withdraws it from the queue. */
    @Override
    public void close() {
        List<Ticket> granted = new ArrayList<>(1);
        ScheduledFuture<?> task = null;
        boolean withdrawn = false;
        synchronized (gate) {
            switch (state) {
                case HELD -> gate.handOver(granted);
                case WAITING -> {
                    gate.forget(this);
                    task = deadline;
                    withdrawn = true;
                }
                default -> {
                }
            }
            state = State.CLOSED;
        }
        if (task != null) {
            task.cancel(false);
        }
        if (withdrawn) {
            admitted.complete(false);
        }
        for (Ticket next : granted) {
            next.grant();
        }
    }

    /** Called with the gate's monitor held, when the gate hands this waiting ticket the slot. */
    void markHeld() {
        state = State.HELD;
        admittedAt = System.nanoTime();
    }

    /**
     * A slot held so far.
     *
     * @param nanos how long the request has held it
     * @param inFlight the requests of its key in flight, itself included
     */
    public record Held(long nanos, int inFlight) {
    }

    /** @return for a request that holds a slot, how long and among how many; empty otherwise */
    public Optional<Held> held() {
        synchronized (gate) {
            return state == State.HELD ? Optional.of(new Held(System.nanoTime() - admittedAt, gate.inFlight())) : Optional.empty();
        }
    }
}
