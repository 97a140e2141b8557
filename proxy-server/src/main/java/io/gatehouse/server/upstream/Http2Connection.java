package io.gatehouse.server.upstream;

import io.gatehouse.server.h2.FrameInputListener;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.config.H2Param;
import org.apache.hc.core5.http2.frame.FrameFlag;
import org.apache.hc.core5.http2.frame.FrameType;
import org.apache.hc.core5.http2.frame.RawFrame;
import org.apache.hc.core5.http2.impl.nio.ClientH2StreamMultiplexerFactory;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One multiplexed connection to an HTTP/2 origin, from the connect on: the leases waiting for it,
 * then the streams it gives out, counted while they last. It listens to its own frames for the
 * origin's {@code SETTINGS_MAX_CONCURRENT_STREAMS} (how many streams it has room for) and
 * {@code GOAWAY} (after which it takes no new stream). Thread-safe.
 */
public final class Http2Connection extends FrameInputListener {

    private final ClientH2StreamMultiplexerFactory multiplexers;
    private final ScheduledExecutorService timer;
    private final AtomicLong streams = new AtomicLong();
    /** Streams given out and not ended, leases waiting for the connect included. */
    private final AtomicInteger active = new AtomicInteger();
    /** The origin's limit: until its SETTINGS arrive, what another connection to it learned, else unlimited. */
    private volatile long maxStreams;
    private volatile boolean goingAway;
    private IOSession session;
    private boolean failed;
    private List<Waiting> waiting = new ArrayList<>();

    private record Waiting(Timeout silence, FutureCallback<AsyncClientEndpoint> callback) {
    }

    /**
     * @param assumedMaxStreams the origin's stream limit as far as known (from its other connections)
     */
    Http2Connection(HttpProcessor processor, H2Config config, ScheduledExecutorService timer, long assumedMaxStreams) {
        this.maxStreams = assumedMaxStreams;
        this.multiplexers = new ClientH2StreamMultiplexerFactory(processor, null, config, CharCodingConfig.DEFAULT, this);
        this.timer = timer;
    }

    ClientH2StreamMultiplexerFactory multiplexers() {
        return multiplexers;
    }

    /** @return whether it takes no new stream: it failed, closed or goes away */
    synchronized boolean replaceable() {
        return failed || goingAway || (session != null && !session.isOpen());
    }

    /** @return whether a new stream would run at once rather than wait for a free slot */
    boolean hasRoom() {
        return active.get() < maxStreams;
    }

    /** @return the origin's stream limit as known to this connection */
    long maxStreams() {
        return maxStreams;
    }

    /** @return the streams given out and not ended */
    int active() {
        return active.get();
    }

    /** Counts a stream about to be given out: call before {@link #join}, under the pool's lock. */
    void reserve() {
        active.incrementAndGet();
    }

    /** A stream reserved with {@link #reserve} ended or never started. */
    void streamEnded() {
        active.decrementAndGet();
    }

    /** Gives a stream to {@code callback} now, or once the connection is open; {@link #reserve} came first. */
    void join(Timeout silence, FutureCallback<AsyncClientEndpoint> callback) {
        IOSession open;
        synchronized (this) {
            if (session == null && !failed) {
                waiting.add(new Waiting(silence, callback));
                return;
            }
            open = session;
        }
        if (open == null) {
            streamEnded();
            callback.failed(new ConnectException("the connection to the upstream failed"));
        } else {
            callback.completed(stream(open, silence));
        }
    }

    void opened(IOSession opened) {
        List<Waiting> woken;
        synchronized (this) {
            session = opened;
            woken = waiting;
            waiting = List.of();
        }
        for (Waiting lease : woken) {
            lease.callback().completed(stream(opened, lease.silence()));
        }
    }

    void failed(Exception cause) {
        List<Waiting> woken;
        synchronized (this) {
            failed = true;
            woken = waiting;
            waiting = List.of();
        }
        for (Waiting lease : woken) {
            streamEnded();
            lease.callback().failed(cause);
        }
    }

    private Http2Stream stream(IOSession open, Timeout silence) {
        return new Http2Stream(open, streams.getAndIncrement() > 0, silence, timer, this::streamEnded);
    }

    void close() {
        IOSession open;
        synchronized (this) {
            open = session;
        }
        if (open != null) {
            open.close(CloseMode.GRACEFUL);
        }
    }

    @Override
    public void onFrameInput(HttpConnection connection, int streamId, RawFrame frame) {
        if (frame.getType() == FrameType.GOAWAY.getValue()) {
            goingAway = true;
        } else if (frame.getType() == FrameType.SETTINGS.getValue() && !frame.isFlagSet(FrameFlag.ACK)) {
            readMaxStreams(frame.getPayload());
        }
    }

    /** SETTINGS entries are 6 bytes: a 16-bit identifier and a 32-bit value (RFC 9113 §6.5.1). */
    private void readMaxStreams(ByteBuffer payload) {
        if (payload == null) {
            return;
        }
        for (int at = payload.position(); at + 6 <= payload.limit(); at += 6) {
            if ((payload.getShort(at) & 0xffff) == H2Param.MAX_CONCURRENT_STREAMS.getCode()) {
                maxStreams = payload.getInt(at + 2) & 0xffffffffL;
            }
        }
    }
}
