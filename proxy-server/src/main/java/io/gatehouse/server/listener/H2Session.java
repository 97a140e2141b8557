package io.gatehouse.server.listener;

import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ProtocolIOSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.locks.Lock;

/**
 * A client connection's session as HttpCore's HTTP/2 multiplexer writes frames to it: small
 * frames are gathered into one write, and it tells whether the last write left bytes behind.
 *
 * <p>Gathering: the multiplexer writes each frame on its own, so a 1 KiB response was two writes
 * (HEADERS, then DATA): two system calls on a cleartext connection, two TLS records (each with its
 * own cipher set-up and 22 bytes of overhead) on a TLS one. Here frames go into one buffer of
 * {@value #CAPACITY} bytes (a 64 KiB body relayed from the origin's read is then one system call,
 * not four: +22 % req/s on h2c get64k; over TLS, four records encrypted in a row and sent with one
 * system call, as the listener's TLS layer holds four: {@code RecordBatchingContext}), which is
 * written when it is full and at the end of each output event. A frame larger than half the buffer goes straight to a
 * cleartext socket when nothing is gathered, without a copy. The multiplexer asks for an output
 * event after every frame it writes, so gathered bytes never wait for more than the reactor's
 * next turn; a graceful close waits until they are written. Memory: the buffer, once per HTTP/2
 * connection, from its first frame on.
 *
 * <p>Blocked: the multiplexer keeps what the session did not take and, until that is flushed, no
 * stream can write. Yet in every output event it asks every stream with something to send to
 * produce, and an exchange that is asked moves its buffered body bytes around for nothing
 * (measured: a quarter of the CPU with ten 64 KiB responses per connection over TLS). With {@link
 * #blocked()}, {@link ListenerExchange} skips producing then; the multiplexer keeps the
 * connection's write interest while its frame is unflushed, so the streams are asked again in the
 * next output event.
 *
 * <p>Used under the session's lock (the multiplexer's writes hold it; the flushes here take it).
 */
final class H2Session extends ForwardingSession {

    /**
     * Bytes gathered before a write: four default-size DATA frames per system call over
     * cleartext, four full TLS records per output event over TLS ({@code RecordBatchingContext}).
     */
    static final int CAPACITY = 64 * 1024;

    private final boolean tls;
    private ByteBuffer gathered;
    private boolean closeWhenFlushed;
    private volatile boolean blocked;

    H2Session(ProtocolIOSession session) {
        super(session);
        this.tls = session.getTlsDetails() != null;
    }

    /** @return whether the last write left bytes unwritten: no stream can write before the next output event */
    boolean blocked() {
        return blocked;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Lock lock = session.getLock();
        lock.lock();
        try {
            int before = src.remaining();
            if (gathered == null) {
                gathered = ByteBuffer.allocate(CAPACITY);
            }
            if (gathered.position() > 0 && src.remaining() > gathered.remaining()) {
                writeGathered();
            }
            if (gathered.position() == 0 && !tls && src.remaining() > gathered.capacity() / 2) {
                while (src.hasRemaining() && session.write(src) > 0) {
                    // a large frame goes out at once, without a copy
                }
            } else {
                int n = Math.min(src.remaining(), gathered.remaining());
                gathered.put(gathered.position(), src, src.position(), n).position(gathered.position() + n);
                src.position(src.position() + n);
            }
            blocked = src.hasRemaining();
            return before - src.remaining();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the gathered bytes, as many as the session takes; asks for an output event for the
     * rest. Called at the start and the end of each output event.
     */
    void flush() throws IOException {
        Lock lock = session.getLock();
        lock.lock();
        try {
            if (gathered != null && gathered.position() > 0) {
                writeGathered();
                if (gathered.position() > 0) {
                    session.setEvent(SelectionKey.OP_WRITE);
                    return;
                }
            }
            if (closeWhenFlushed) {
                closeWhenFlushed = false;
                session.close(CloseMode.GRACEFUL);
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeGathered() throws IOException {
        gathered.flip();
        try {
            while (gathered.hasRemaining() && session.write(gathered) > 0) {
                // as much as the socket (or the TLS layer) takes now
            }
        } finally {
            gathered.compact();
        }
    }

    @Override
    public void close() {
        close(CloseMode.GRACEFUL);
    }

    @Override
    public void close(CloseMode closeMode) {
        Lock lock = session.getLock();
        lock.lock();
        try {
            if (closeMode == CloseMode.GRACEFUL && gathered != null && gathered.position() > 0 && session.isOpen()) {
                try {
                    writeGathered();
                } catch (IOException e) {
                    session.close(CloseMode.IMMEDIATE);
                    return;
                }
                if (gathered.position() > 0) {
                    closeWhenFlushed = true; // the last frames (a GOAWAY, say) go first
                    session.setEvent(SelectionKey.OP_WRITE);
                    return;
                }
            }
            if (closeMode == CloseMode.IMMEDIATE && gathered != null) {
                gathered.clear();
            }
            session.close(closeMode);
        } finally {
            lock.unlock();
        }
    }
































}
