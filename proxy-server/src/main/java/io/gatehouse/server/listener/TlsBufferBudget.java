package io.gatehouse.server.listener;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many TLS client connections may keep their TLS buffers for their whole life under {@code
 * tls.buffers: auto}: HttpCore's TLS layer either keeps its three buffers with the connection
 * (about {@value #BYTES_PER_CONNECTION} bytes, four records wide each way) or allocates and zeroes
 * them for every read and write event. Kept buffers cost memory on idle connections; per-event
 * ones cost CPU on busy ones (an HTTP/1.1 request of 1 KiB over TLS spent about a tenth of its
 * CPU on them). So the first connections, up to a budget of a sixteenth of the maximum heap, keep
 * theirs, and connections beyond it take them per event; a connection that closes gives its
 * place back. Memory for kept buffers stays bounded whatever the number of connections. Thread-safe.
 */
final class TlsBufferBudget {

    /** What one connection's kept buffers weigh: two of four TLS records and one of plaintext. */
    static final int BYTES_PER_CONNECTION = 150 * 1024;

    private final int max;
    private final AtomicInteger kept = new AtomicInteger();

    /** @param max the most connections that keep their buffers at once */
    TlsBufferBudget(int max) {
        this.max = max;
    }

    /**
     * @param maxHeapBytes the heap's limit ({@code Runtime.maxMemory()})
     * @return a budget of a sixteenth of it
     */
    static TlsBufferBudget ofHeap(long maxHeapBytes) {
        return new TlsBufferBudget((int) Math.min(Integer.MAX_VALUE, maxHeapBytes / 16 / BYTES_PER_CONNECTION));
    }

    /** @return whether a new connection may keep its buffers; if so, {@link #giveBack()} when it closes */
    boolean tryKeep() {
        if (kept.incrementAndGet() <= max) {
            return true;
        }
        kept.decrementAndGet();
        return false;
    }

    /** A connection that kept its buffers has closed. */
    void giveBack() {
        kept.decrementAndGet();
    }

    /** @return connections keeping their buffers now */
    int kept() {
        return kept.get();
    }

    /** @return the most that may */
    int max() {
        return max;
    }
}
