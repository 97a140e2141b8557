package io.gatehouse.server.chain;

import java.util.concurrent.Executor;

/**
 * The chain snapshot new exchanges start with. Taking it costs one volatile read and one
 * compare-and-set on the snapshot's user count, no lock; a reload swaps in the next snapshot, and
 * the previous one closes once its last exchange let go of it.
 */
public final class CurrentChain {

    private volatile FilterChain current;
    private final Executor closer;

    /**
     * @param first the chain served until the first swap; this holder owns its first use
     * @param closer where retired chains close their filters (never an I/O thread)
     */
    public CurrentChain(FilterChain first, Executor closer) {
        this.current = first;
        this.closer = closer;
        first.closeOn(closer);
    }

    /**
     * A holder that closes retired chains on the releasing thread (tests, tools).
     *
     * @param first the chain
     * @return the holder
     */
    public static CurrentChain of(FilterChain first) {
        return new CurrentChain(first, Runnable::run);
    }

    /**
     * Takes the current snapshot for one exchange; the exchange must {@link FilterChain#release()}
     * it once its last hook ran.
     *
     * @return the retained snapshot
     */
    public FilterChain acquire() {
        while (true) {
            FilterChain chain = current;
            if (chain.tryRetain()) {
                return chain;
            }
            // swapped and closed between the read and the retain: the next read sees the new one
            if (chain == current) {
                throw new IllegalStateException("the current chain is closed");
            }
        }
    }

    /** @return the current snapshot, not retained: for reading its entries (admin, explain) */
    public FilterChain peek() {
        return current;
    }

    /**
     * Makes {@code next} the chain of new exchanges and lets go of the previous one, which closes
     * once its exchanges have ended.
     *
     * @param next the new snapshot, with its first use owned by this holder
     * @return the previous snapshot (already released by this holder)
     */
    public synchronized FilterChain swap(FilterChain next) {
        FilterChain previous = current;
        next.closeOn(closer);
        current = next;
        previous.release();
        return previous;
    }

    /** Lets go of the current snapshot (at shutdown). */
    public synchronized void close() {
        current.release();
    }
}
