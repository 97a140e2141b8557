package io.gatehouse.server.exchange;

import io.gatehouse.server.tunnel.Tunnels;

import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.server.chain.CurrentChain;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.metrics.ExchangeMeters;
import io.gatehouse.server.metrics.ServerMetrics;
import io.gatehouse.server.upstream.OriginConnections;
import org.apache.hc.core5.util.Timeout;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every exchange shares: the validated settings, the current chain snapshot (each exchange
 * takes it once, at its start), the core's timer
 * (whose tasks only signal exchanges, see {@link ExchangeFlow}), the origin connections, and the
 * count of exchanges in flight that a graceful stop waits for.
 */
public final class ExchangeServices {

    /** Bytes buffered per body direction before the sending side is paused. */
    public static final int BODY_BUFFER = 64 * 1024;

    /**
     * Bytes a WebSocket tunnel holds per direction before it stops reading the sender. Allocated
     * for the tunnel's whole life (plus room for one decrypted TLS record), so smaller than a body buffer.
     */
    public static final int TUNNEL_BUFFER = 32 * 1024;

    private final GatehouseConfig config;
    private final CurrentChain chains;
    private final ScheduledExecutorService timer;
    private final OriginConnections origins;
    private final Optional<UpstreamSelector> fallbackSelector;
    private final Timeout connectTimeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExchangeMeters meters;
    private final ProxyErrorLog errorLog = new ProxyErrorLog(System::nanoTime);
    private final Object drainMonitor = new Object();
    private volatile boolean draining;
    private final Tunnels tunnels;

    /**
     * @param config the validated configuration
     * @param chain the filter chain snapshot
     * @param timer the core's timer
     * @param origins pooled origin connections
     */
    public ExchangeServices(GatehouseConfig config, FilterChain chain, ScheduledExecutorService timer, OriginConnections origins) {
        this(config, chain, timer, origins, new ServerMetrics().exchanges());
    }

    /**
     * @param config the validated configuration
     * @param chain the filter chain snapshot
     * @param timer the core's timer
     * @param origins pooled origin connections
     * @param meters where each ended exchange is recorded
     */
    public ExchangeServices(GatehouseConfig config, FilterChain chain, ScheduledExecutorService timer, OriginConnections origins,
                            ExchangeMeters meters) {
        this(config, CurrentChain.of(chain), timer, origins, meters);
    }

    /**
     * @param config the validated configuration
     * @param chains the current chain snapshot, swapped by reloads
     * @param timer the core's timer
     * @param origins pooled origin connections
     * @param meters where each ended exchange is recorded
     */
    public ExchangeServices(GatehouseConfig config, CurrentChain chains, ScheduledExecutorService timer, OriginConnections origins,
                            ExchangeMeters meters) {
        this.meters = meters;
        this.config = config;
        this.chains = chains;
        this.timer = timer;
        this.origins = origins;
        this.fallbackSelector = config.upstream().map(UpstreamSelector::fixed);
        this.connectTimeout = Timeout.of(config.timeouts().connect());
        this.tunnels = new Tunnels(config.tunnels(), TUNNEL_BUFFER);
    }

    /** @return the engine's WebSocket tunnels */
    public Tunnels tunnels() {
        return tunnels;
    }

    GatehouseConfig config() {
        return config;
    }

    ExchangeMeters meters() {
        return meters;
    }

    ProxyErrorLog errorLog() {
        return errorLog;
    }

    /** @return the current snapshot, retained: the exchange releases it after its last hook */
    FilterChain acquireChain() {
        return chains.acquire();
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    OriginConnections origins() {
        return origins;
    }

    Optional<UpstreamSelector> fallbackSelector() {
        return fallbackSelector;
    }

    Timeout connectTimeout() {
        return connectTimeout;
    }

    boolean draining() {
        return draining;
    }

    /** New exchanges close their connection after answering; {@link #awaitDrained} can be called. */
    public void startDraining() {
        draining = true;
    }

    /** @return the number of exchanges in flight */
    public int inFlight() {
        return inFlight.get();
    }

    void exchangeStarted() {
        inFlight.incrementAndGet();
    }

    void exchangeEnded() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            synchronized (drainMonitor) {
                drainMonitor.notifyAll();
            }
        }
    }

    /**
     * @param grace the longest wait
     * @return whether no exchange was in flight any more within {@code grace}
     */
    public boolean awaitDrained(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (drainMonitor) {
            while (inFlight.get() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drainMonitor, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }
}
