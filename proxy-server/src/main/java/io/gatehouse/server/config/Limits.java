package io.gatehouse.server.config;

/**
 * {@code server.limits}.
 *
 * @param requestLine longest request line in bytes; past it 414
 * @param headers largest request header section in bytes; past it 431
 * @param body largest request body in bytes; past it 413
 * @param connections most client connections open at once; past it a new one is closed at once
 */
public record Limits(long requestLine, long headers, long body, int connections) {

    /** The heap one client connection is budgeted at, for the default connection cap. */
    private static final long HEAP_PER_CONNECTION = 64 * 1024;

    /**
     * The default of {@code connections}, sized to the heap: one connection per 64 KiB of the
     * maximum heap (16384 with a 1 GiB heap), at least 256. An idle connection holds a few KiB; one
     * streaming a body holds about 100 KiB of buffers, so the budget leaves room for a large share
     * of them being busy at once.
     *
     * @param maxHeapBytes the JVM's maximum heap ({@link Runtime#maxMemory()})
     * @return the default cap
     */
    public static int defaultConnections(long maxHeapBytes) {
        return (int) Math.max(256, Math.min(Integer.MAX_VALUE, maxHeapBytes / HEAP_PER_CONNECTION));
    }
}
