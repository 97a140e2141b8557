package io.gatehouse.server.tunnel;

import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket tunnel: the client and origin connections and a bounded {@link Direction} each
 * way. Idle when no byte moved either way for {@code server.timeouts.tunnel-idle} (measured on
 * its own clock); closed as a whole when either side ends or fails, or on shutdown.
 */
public final class Tunnel {

    final Direction toOrigin;
    final Direction toClient;
    private final Tunnels registry;
    private final long idleNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IOSession client;
    private volatile IOSession origin;
    private volatile long lastActivity = System.nanoTime();

    Tunnel(Tunnels registry, int bufferBytes, long idleNanos) {
        this.registry = registry;
        this.idleNanos = idleNanos;
        this.toOrigin = new Direction(bufferBytes, registry.toOriginBytes);
        this.toClient = new Direction(bufferBytes, registry.toClientBytes);
    }

    /**
     * The handler of the tunnel's own origin connection: it sends {@code requestHead}, reads the
     * answer and, after a 101, splices.
     *
     * @param requestHead the upgrade request as it goes to the origin
     * @param handshake told what the origin answered
     * @return the handler, to attach when connecting
     */
    public OriginSide originSide(ByteBuffer requestHead, Handshake handshake) {
        toOrigin.prefill(requestHead);
        return new OriginSide(this, handshake);
    }

    /** @return the handler of the client connection once the origin switched protocols */
    public IOEventHandler clientSide() {
        return new ClientSide(this);
    }

    /** @return the idle timeout, in nanoseconds */
    long idleNanos() {
        return idleNanos;
    }

    void originConnected(IOSession session) {
        origin = session;
        if (closed.get()) {
            session.close(CloseMode.IMMEDIATE);
        }
    }

    void clientConnected(IOSession session) {
        client = session;
        toOrigin.connect(session, origin);
        toClient.connect(origin, session);
        if (closed.get()) {
            session.close(CloseMode.IMMEDIATE);
        }
    }

    void touch() {
        lastActivity = System.nanoTime();
    }

    /** A socket timeout fired on one side: closes the tunnel when nothing moved either way for the idle time. */
    void timedOut() {
        if (System.nanoTime() - lastActivity >= idleNanos) {
            close(CloseMode.GRACEFUL);
        }
    }

    /** @return the bytes held in both directions */
    int held() {
        return toOrigin.held() + toClient.held();
    }

    /** @return whether the tunnel has closed */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes both connections, once.
     *
     * @param mode graceful after an orderly end (TLS close_notify, buffered bytes written), else immediate
     */
    public void close(CloseMode mode) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registry.closed(this);
        IOSession c = client;
        IOSession o = origin;
        if (c != null) {
            c.close(mode);
        }
        if (o != null) {
            o.close(mode);
        }
    }
}
