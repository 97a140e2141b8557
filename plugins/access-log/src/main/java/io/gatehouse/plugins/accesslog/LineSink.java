package io.gatehouse.plugins.accesslog;

import java.io.IOException;

/**
 * Where lines end up. Used by the writer thread only, so implementations need not be thread-safe.
 */
interface LineSink extends AutoCloseable {

    /**
     * Appends a line and its line end; may buffer.
     *
     * @param line the line, without line end
     * @throws IOException when it cannot be written
     */
    void write(String line) throws IOException;

    /**
     * Writes out what is buffered (called whenever the queue ran empty).
     *
     * @throws IOException when it cannot be written
     */
    void flush() throws IOException;

    /** Flushes and releases the sink; it may be written to again afterwards (it reopens). */
    @Override
    void close();

    /** @return what the sink is, for {@code status()} */
    String describe();
}
