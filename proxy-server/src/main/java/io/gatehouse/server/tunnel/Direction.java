package io.gatehouse.server.tunnel;

import org.apache.hc.core5.reactor.IOSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of a tunnel: bytes read from one connection, held in a bounded buffer until the
 * other connection takes them. When {@code cap} bytes are held, the reading side stops reading
 * until the writing side drained some: the sender is slowed by TCP, memory stays bounded. One
 * lock (this object) guards the buffer; the two connections may live on different I/O threads.
 */
final class Direction {

    /**
     * Room past the cap for decrypted TLS input. The TLS layer decrypts every record it read in
     * one input event, handing each over (up to 16 KiB) after reading was paused, and drops what
     * is not taken: so it is all taken, and the buffer grows in the rare event that more arrives
     * than this room (a read of several records; {@code RecordBatchingContext}).
     */
    static final int TLS_SLACK = 32 * 1024;

    private ByteBuffer buffer;
    private final int cap;
    private IOSession from;
    private IOSession to;
    private boolean readingPaused;
    private boolean ended;
    private final LongAdder relayed;

    /**
     * @param cap the bytes held before the reading side is paused
     * @param relayed counts every byte written to the sink (shared by the tunnels, for metrics)
     */
    Direction(int cap, LongAdder relayed) {
        this.cap = cap;
        this.relayed = relayed;
        this.buffer = ByteBuffer.allocate(cap + TLS_SLACK);
    }

    synchronized void connect(IOSession source, IOSession sink) {
        from = source;
        to = sink;
        if (buffer.position() > 0 && to != null) {
            to.setEvent(SelectionKey.OP_WRITE);
        }
        if (from != null && buffer.position() >= cap) {
            pauseReading();
        }
    }

    /** Queues bytes the proxy itself sends first (a request or response head). */
    synchronized void prefill(ByteBuffer bytes) {
        buffer.put(bytes);
        if (to != null) {
            to.setEvent(SelectionKey.OP_WRITE);
        }
    }

    /**
     * Reads from the source connection: {@code src} when its TLS layer decrypted input, else the
     * socket, as far as the buffer has room.
     *
     * @return the bytes taken, -1 at the end of the stream
     */
    synchronized int read(IOSession source, ByteBuffer src) throws IOException {
        int taken;
        if (src != null) {
            taken = src.remaining();
            if (taken > buffer.remaining()) {
                buffer = ByteBuffer.allocate(buffer.position() + taken).put(buffer.flip());
            }
            buffer.put(src);
        } else if (buffer.position() >= cap) {
            taken = 0;
        } else {
            int limit = buffer.limit();
            buffer.limit(cap);
            try {
                taken = source.read(buffer);
            } finally {
                buffer.limit(limit);
            }
            if (taken < 0) {
                ended = true;
            }
        }
        if (taken > 0 && to != null) {
            to.setEvent(SelectionKey.OP_WRITE);
        }
        if (buffer.position() >= cap) {
            pauseReading();
        }
        return taken;
    }

    /** The source reached its end (a TLS close, for instance). */
    synchronized void end() {
        ended = true;
        if (to != null) {
            to.setEvent(SelectionKey.OP_WRITE);
        }
    }

    /**
     * Writes held bytes to the sink connection.
     *
     * @return the bytes written
     */
    synchronized int write(IOSession sink) throws IOException {
        int written = 0;
        if (buffer.position() > 0) {
            buffer.flip();
            try {
                written = sink.write(buffer);
                relayed.add(written);
            } finally {
                buffer.compact();
            }
        }
        if (buffer.position() == 0) {
            sink.clearEvent(SelectionKey.OP_WRITE);
        }
        if (readingPaused && buffer.position() < cap && from != null) {
            readingPaused = false;
            from.setEvent(SelectionKey.OP_READ);
        }
        return written;
    }

    /** @return whether the source ended and every byte went out */
    synchronized boolean finished() {
        return ended && buffer.position() == 0;
    }

    /** @return the bytes held now */
    synchronized int held() {
        return buffer.position();
    }

    /** @return whether the source has ended */
    synchronized boolean ended() {
        return ended;
    }

    /** @return the bytes held, copied, and the buffer emptied (a non-101 answer's body) */
    synchronized byte[] take() {
        byte[] bytes = new byte[buffer.position()];
        buffer.flip();
        buffer.get(bytes);
        buffer.clear();
        return bytes;
    }

    private void pauseReading() {
        readingPaused = true;
        if (from != null) {
            from.clearEvent(SelectionKey.OP_READ);
        }
    }
}
