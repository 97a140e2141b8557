package io.gatehouse.server.upstream;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.frame.FrameType;
import org.apache.hc.core5.http2.frame.RawFrame;
import org.apache.hc.core5.http2.impl.nio.ClientH2StreamMultiplexerFactory;
import org.apache.hc.core5.http2.impl.nio.H2StreamListener;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One multiplexed connection to an HTTP/2 origin, from the connect on: the leases waiting for it,
 * then the streams it gives out. It listens to its own frames for the origin's {@code GOAWAY},
 * after which it takes no new stream. Thread-safe.
 */
public final class Http2Connection implements H2StreamListener {

    private final ClientH2StreamMultiplexerFactory multiplexers;
    private final ScheduledExecutorService timer;
    private final AtomicLong streams = new AtomicLong();
    private volatile boolean goingAway;
    private IOSession session;
    private boolean failed;
    private List<Waiting> waiting = new ArrayList<>();

    private record Waiting(Timeout silence, FutureCallback<AsyncClientEndpoint> callback) {
    }

    Http2Connection(HttpProcessor processor, H2Config config, ScheduledExecutorService timer) {
        this.multiplexers = new ClientH2StreamMultiplexerFactory(processor, null, config, CharCodingConfig.DEFAULT, this);
        this.timer = timer;
    }

    ClientH2StreamMultiplexerFactory multiplexers() {
        return multiplexers;
    }

    /** @return whether a new lease must open another connection: this one failed, closed or goes away */
    synchronized boolean replaceable() {
        return failed || goingAway || (session != null && !session.isOpen());
    }

    /** Gives a stream to {@code callback} now, or once the connection is open. */
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
            lease.callback().failed(cause);
        }
    }

    private Http2Stream stream(IOSession open, Timeout silence) {
        return new Http2Stream(open, streams.getAndIncrement() > 0, silence, timer);
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
        }
    }

    @Override
    public void onHeaderInput(HttpConnection connection, int streamId, List<? extends Header> headers) {
    }

    @Override
    public void onHeaderOutput(HttpConnection connection, int streamId, List<? extends Header> headers) {
    }

    @Override
    public void onFrameOutput(HttpConnection connection, int streamId, RawFrame frame) {
    }

    @Override
    public void onInputFlowControl(HttpConnection connection, int streamId, int delta, int actualSize) {
    }

    @Override
    public void onOutputFlowControl(HttpConnection connection, int streamId, int delta, int actualSize) {
    }
}
