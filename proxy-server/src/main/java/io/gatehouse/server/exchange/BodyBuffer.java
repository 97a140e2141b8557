package io.gatehouse.server.exchange;

import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bounded buffer between the two sides of one body, with the credit accounting that makes
 * back-pressure work: the reading side is granted credit only for free space, so memory stays
 * below {@code highWater} plus one read. Allocated lazily and grown as needed, so a small body
 * costs a small buffer. The bytes held are {@code [read, buffer.position())}: a write that takes
 * part of them only moves {@code read}, and the rest is moved to the front only when room is
 * needed (a slow receiver taking 16 KiB frames of a 64 KiB buffer would otherwise move 48 KiB per
 * frame). A body the proxy sends itself is not copied in: it is lent ({@link #lend}) and written
 * from its own immutable array. Guarded by the exchange lock.
 */
final class BodyBuffer {

    private static final int MIN_CAPACITY = 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final int highWater;
    /** In write mode: bytes are appended at its position. */
    private ByteBuffer buffer;
    /** Where the held bytes of {@code buffer} start. */
    private int read;
    private ByteBuffer lent;
    private long credit;
    /** The body's length when its head declared one, else -1: the first allocation's size. */
    private long expected = -1;

    /**
     * @param highWater bytes the buffer may hold before the reader is paused
     * @param initialCredit credit the reading side already has (HttpCore's initial window)
     */
    BodyBuffer(int highWater, int initialCredit) {
        this.highWater = highWater;
        this.credit = initialCredit;
    }

    /**
     * The body's declared length: the buffer, when one is needed, is allocated at once for the
     * whole body up to {@code highWater}, not grown (and copied) from the size of the first read.
     *
     * @param length the declared length, or -1 when unknown
     */
    void expect(long length) {
        expected = length;
    }

    /** @return the bytes allocated (0 before the first), for tests */
    int capacity() {
        return buffer == null ? 0 : buffer.capacity();
    }

    /** @return buffered bytes */
    int length() {
        return (buffer == null ? 0 : buffer.position() - read) + (lent == null ? 0 : lent.remaining());
    }

    /**
     * Takes a whole body to send as it is, without copying it: a response the proxy made, whose
     * bytes are immutable (a cached object, say). Replaces what was buffered.
     *
     * @param body a view of the body, consumed as it is written
     */
    void lend(ByteBuffer body) {
        clear();
        lent = body;
    }

    /**
     * Takes every byte of {@code src} (the reader never has to retry).
     *
     * @param src the data
     * @return the number of bytes taken
     */
    int append(ByteBuffer src) {
        int n = src.remaining();
        ensureSpace(n);
        buffer.put(src);
        credit -= n;
        return n;
    }

    /**
     * Writes buffered bytes to {@code channel}, as many as it takes.
     *
     * @param channel the writing side
     * @return bytes written
     */
    int writeTo(DataStreamChannel channel) throws IOException {
        if (lent != null) {
            int written = channel.write(lent);
            if (!lent.hasRemaining()) {
                lent = null;
            }
            return written;
        }
        if (length() == 0) {
            return 0;
        }
        int end = buffer.position();
        buffer.limit(end).position(read);
        int written;
        try {
            written = channel.write(buffer);
        } finally {
            read = buffer.position();
            buffer.limit(buffer.capacity()).position(end);
        }
        if (read == end) { // all out: start over at the front, nothing to move
            buffer.clear();
            read = 0;
        }
        return written;
    }

    /**
     * Grants the reading side credit for the free space, if it has too little.
     *
     * @param capacity the reading side's capacity channel, may be null before it is known
     */
    void grant(CapacityChannel capacity) throws IOException {
        if (capacity == null) {
            return;
        }
        long free = highWater - length() - Math.max(credit, 0);
        if (free > 0) {
            credit = Math.max(credit, 0) + free;
            capacity.update((int) free);
        }
    }

    /**
     * Bytes the reading side delivered that went on at once without being buffered: they used
     * its credit all the same.
     *
     * @param n the byte count
     */
    void consumedWithoutBuffering(int n) {
        credit -= n;
    }

    /**
     * The reading side ran out of credit (HttpCore called {@code updateCapacity}).
     */
    void creditExhausted() {
        credit = Math.min(credit, 0);
    }

    /**
     * Replaces the buffered bytes with {@code data}, without touching the reading side's credit
     * (the bytes were counted when they first arrived): a retry sends the body again.
     *
     * @param data the whole body received so far
     * @param length its length
     */
    void refill(byte[] data, int length) {
        clear();
        ensureSpace(length);
        buffer.put(data, 0, length);
    }

    /** @return a read-only view of the buffered bytes, valid until the buffer changes; no copy */
    ByteBuffer view() {
        if (lent != null) {
            return lent.asReadOnlyBuffer();
        }
        if (buffer == null || buffer.position() == read) {
            return EMPTY;
        }
        return buffer.duplicate().limit(buffer.position()).position(read).asReadOnlyBuffer();
    }

    /** Drops buffered bytes (the body is being discarded). */
    void clear() {
        lent = null;
        read = 0;
        if (buffer != null) {
            buffer.clear();
        }
    }

    private void ensureSpace(int n) {
        if (buffer == null) {
            buffer = ByteBuffer.allocate((int) Math.max(MIN_CAPACITY, Math.min(Math.max(n, expected), highWater)));
        }
        if (buffer.remaining() >= n) {
            return;
        }
        int held = buffer.position() - read;
        if (read > 0 && buffer.capacity() - held >= n) { // room once the held bytes move to the front
            buffer.limit(buffer.position()).position(read);
            buffer.compact();
            read = 0;
            return;
        }
        int capacity = buffer.capacity();
        while (capacity < held + n) {
            capacity *= 2;
        }
        ByteBuffer larger = ByteBuffer.allocate(capacity);
        buffer.limit(buffer.position()).position(read);
        larger.put(buffer);
        buffer = larger;
        read = 0;
    }
}
