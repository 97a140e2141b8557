package io.gatehouse.plugins.ratelimit.concurrency;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * At most {@code max} requests in flight per key; up to {@code queue} more wait, in arrival
 * order, at most {@code queueTimeout} each, for a request of the same key to end. The key's gate
 * exists only while it has requests in flight or waiting, so memory is bounded by the requests
 * in progress. Each gate has its own monitor; a waiter's stage is completed outside it.
 */
public final class ConcurrencyLimiter {

    private final IntSupplier max;
    private final int queue;
    private final long queueTimeoutNanos;
    private final ScheduledExecutorService timer;
    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();

    /**
     * @param max the requests in flight per key, at least 1
     * @param queue the requests that may wait per key (0: refuse at once)
     * @param queueTimeout how long a request may wait
     * @param timer for the waiting time
     */
    public ConcurrencyLimiter(int max, int queue, Duration queueTimeout, ScheduledExecutorService timer) {
        this(() -> max, queue, queueTimeout, timer);
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
    }

    /**
     * @param max the requests in flight per key now, read at each admission (an {@link AdaptiveLimit})
     * @param queue the requests that may wait per key (0: refuse at once)
     * @param queueTimeout how long a request may wait
     * @param timer for the waiting time
     */
    public ConcurrencyLimiter(IntSupplier max, int queue, Duration queueTimeout, ScheduledExecutorService timer) {
        if (queue < 0) {
            throw new IllegalArgumentException("queue must not be negative");
        }
        this.max = max;
        this.queue = queue;
        this.queueTimeoutNanos = queueTimeout.toNanos();
        this.timer = timer;
    }

    /** The requests of one key: those in flight and those waiting. Guarded by its own monitor. */
    final class Gate {
        private final String key;
        private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
        private int inFlight;
        private boolean removed;

        private Gate(String key) {
            this.key = key;
        }

        /** Called with the monitor held: lets the next waiter in (unless the limit went down), or frees the slot. */
        void handOver(List<Ticket> granted) {
            Ticket next = inFlight <= max.getAsInt() ? waiting.poll() : null;
            if (next != null) {
                next.markHeld();
                granted.add(next);
                return;
            }
            inFlight--;
            if (inFlight == 0) {
                removed = true;
                gates.remove(key, this);
            }
        }

        void forget(Ticket ticket) {
            waiting.remove(ticket);
        }

        /** Called with the monitor held. */
        int inFlight() {
            return inFlight;
        }
    }

    /**
     * Asks for a slot for one request of {@code key}.
     *
     * @param key the request's key
     * @return a ticket; its {@link Ticket#admitted()} stage completes with {@code true} when the
     *     request may go on, {@code false} when it is refused (queue full, or waited too long).
     *     The ticket must be {@linkplain Ticket#close() closed} when the request ends, whatever happened.
     */
    public Ticket acquire(String key) {
        while (true) {
            Gate gate = gates.computeIfAbsent(key, Gate::new);
            Ticket ticket;
            synchronized (gate) {
                if (gate.removed) {
                    continue;
                }
                if (gate.inFlight < max.getAsInt()) {
                    gate.inFlight++;
                    return Ticket.held(gate);
                }
                if (gate.waiting.size() >= queue) {
                    refused.increment();
                    return Ticket.refusedAt(gate);
                }
                ticket = Ticket.waitingAt(gate);
                gate.waiting.add(ticket);
            }
            try {
                ticket.deadline(timer.schedule(() -> expire(ticket), queueTimeoutNanos, TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException e) {
                expire(ticket);
            }
            return ticket;
        }
    }

    private void expire(Ticket ticket) {
        if (ticket.expire()) {
            timedOut.increment();
        }
    }

    /** @return the keys with requests in flight or waiting */
    public int activeKeys() {
        return gates.size();
    }

    /** @return lines for the admin {@code /status} */
    public List<String> status() {
        return List.of("concurrency: max " + max.getAsInt() + " per key, queue " + queue + ", " + gates.size() + " keys active, refused "
                + refused.sum() + " (queue full), " + timedOut.sum() + " (waited too long)");
    }
}
