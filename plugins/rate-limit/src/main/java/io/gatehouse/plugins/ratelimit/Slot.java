package io.gatehouse.plugins.ratelimit;

import io.gatehouse.plugins.ratelimit.concurrency.Ticket;

import java.util.Optional;

/**
 * One exchange's place at the concurrency cap. The exchange may end (a client that leaves, a
 * filter deadline) while its rate limit is still being decided in Redis: a ticket taken after
 * that is given back at once, so no slot is ever lost. Thread-safe.
 */
final class Slot {

    private Ticket ticket;
    private boolean ended;

    /**
     * @param taken the exchange's ticket
     * @return whether the exchange still runs; when it ended already, the ticket is closed
     */
    boolean hold(Ticket taken) {
        synchronized (this) {
            if (!ended) {
                ticket = taken;
                return true;
            }
        }
        taken.close();
        return false;
    }

    /** @return the ticket held, if any */
    synchronized Optional<Ticket> ticket() {
        return Optional.ofNullable(ticket);
    }

    /** Ends the exchange's use of the cap: closes its ticket, or any taken later. */
    void end() {
        Ticket held;
        synchronized (this) {
            ended = true;
            held = ticket;
            ticket = null;
        }
        if (held != null) {
            held.close();
        }
    }
}
