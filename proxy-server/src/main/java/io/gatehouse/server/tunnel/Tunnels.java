package io.gatehouse.server.tunnel;

import io.gatehouse.server.config.TunnelSettings;
import org.apache.hc.core5.io.CloseMode;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open tunnels of the engine: a cap on their number, and the way shutdown reaches them
 * (HttpCore's exchange callbacks no longer do once a connection is spliced).
 */
public final class Tunnels {

    private final TunnelSettings settings;
    private final int bufferBytes;
    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    final LongAdder toOriginBytes = new LongAdder();
    final LongAdder toClientBytes = new LongAdder();
    private volatile boolean closed;

    /**
     * @param settings {@code server.websocket}, {@code server.timeouts.tunnel-idle}, {@code server.limits.tunnels}
     * @param bufferBytes bytes held per direction before the sending side stops being read
     */
    public Tunnels(TunnelSettings settings, int bufferBytes) {
        this.settings = settings;
        this.bufferBytes = bufferBytes;
    }

    /** @return whether WebSocket upgrades are tunnelled at all */
    public boolean enabled() {
        return settings.websocket();
    }

    /**
     * Opens a tunnel when fewer than {@code server.limits.tunnels} are open and the engine runs.
     *
     * @return the new tunnel, registered, or empty
     */
    public Optional<Tunnel> open() {
        if (closed) {
            return Optional.empty();
        }
        if (count.incrementAndGet() > settings.max()) {
            count.decrementAndGet();
            return Optional.empty();
        }
        Tunnel tunnel = new Tunnel(this, bufferBytes, settings.idle().toNanos());
        open.add(tunnel);
        if (closed) {
            tunnel.close(CloseMode.IMMEDIATE);
            return Optional.empty();
        }
        return Optional.of(tunnel);
    }

    void closed(Tunnel tunnel) {
        if (open.remove(tunnel)) {
            count.decrementAndGet();
        }
    }

    /** @return the tunnels open now, handshakes in progress included */
    public int count() {
        return count.get();
    }

    /** @return the bytes every tunnel wrote to its origin since start, the upgrade requests included */
    public long bytesToOrigin() {
        return toOriginBytes.sum();
    }

    /** @return the bytes every tunnel wrote to its client since start, the {@code 101} heads included */
    public long bytesToClient() {
        return toClientBytes.sum();
    }

    /** @return the bytes held by every open tunnel's buffers now */
    public long heldBytes() {
        long held = 0;
        for (Tunnel tunnel : open) {
            held += tunnel.held();
        }
        return held;
    }

    /** Closes every tunnel and refuses new ones (shutdown). */
    public void closeAll() {
        closed = true;
        for (Tunnel tunnel : open) {
            tunnel.close(CloseMode.GRACEFUL);
        }
    }
}
