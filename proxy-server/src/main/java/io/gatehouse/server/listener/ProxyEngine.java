package io.gatehouse.server.listener;

import io.gatehouse.api.ConfigException;
import io.gatehouse.server.chain.CurrentChain;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.config.ListenerSpec;
import io.gatehouse.server.exchange.ClientLeg;
import io.gatehouse.server.exchange.ExchangeServices;
import io.gatehouse.server.metrics.ServerMetrics;
import io.gatehouse.server.upstream.Http2Connection;
import io.gatehouse.server.upstream.Http2Origins;
import io.gatehouse.server.upstream.OriginConnectionGuard;
import io.gatehouse.server.upstream.OriginConnections;
import io.gatehouse.server.upstream.ReactorWorkers;
import io.gatehouse.server.tls.CertificateReloader;
import io.gatehouse.server.tls.OriginTls;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.impl.nio.ClientHttp1IOEventHandlerFactory;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexerFactory;
import org.apache.hc.core5.http.impl.nio.DefaultHttpResponseWriterFactory;
import org.apache.hc.core5.http.impl.nio.ServerHttp1IOEventHandler;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestValidateHost;
import org.apache.hc.core5.http.protocol.ResponseConnControl;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.http.nio.command.ShutdownCommand;
import org.apache.hc.core5.reactor.DefaultListeningIOReactor;
import org.apache.hc.core5.reactor.IOEventHandlerFactory;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.ListenerEndpoint;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The listener: one HttpCore 5 reactor whose I/O threads serve both the client connections (the
 * strict HTTP/1.1 parser, the body guard, the head deadline, one {@link ClientConnection} each)
 * and the pooled origin connections, and the start and graceful stop of it all. Each request head
 * becomes a {@link ClientLeg} with the services every exchange shares.
 */
public final class ProxyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyEngine.class);

    /**
     * HttpCore's input, output and body buffer of each client connection while it is awake (see
     * {@link ClientConnection}: a connection quiet between requests drops them). Clients open new
     * connections all the time, so their size is memory per busy connection: 64 KiB ones made a
     * burst of new connections a burst of long-lived garbage-collector work (20–70 ms young pauses
     * when 256 connections arrived at once, then full collections as they closed).
     */
    static final int SESSION_BUFFER = 32 * 1024;

    /**
     * The same for origin connections. They are pooled and outlive many exchanges, so they can
     * afford 64 KiB: a 64 KiB origin body is then read in one go (with 32 KiB, its p99 doubled).
     */
    static final int ORIGIN_SESSION_BUFFER = 64 * 1024;

    /** Writes up to this size join the connection's output buffer (one write with the head) instead of going out alone. */
    private static final int COALESCE_WRITES = SESSION_BUFFER / 2;

    /** How often the reactors check socket timeouts: the precision of every timeout. */
    private static final TimeValue SELECT_INTERVAL = TimeValue.ofMilliseconds(100);

    /** After the drain, how long connections get to flush what is already written. */
    private static final TimeValue FLUSH_ON_SHUTDOWN = TimeValue.ofSeconds(2);

    private final GatehouseConfig config;
    private final ScheduledExecutorService scheduler;
    private final DefaultListeningIOReactor reactor;
    private final OriginConnections origins;
    private final ExchangeServices services;
    private final List<ListenerEndpoint> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The address of each listener as configured (port 0 stays 0), in the order of {@code listeners}. */
    private final List<InetSocketAddress> configuredListen = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The TLS context of each listener a reload added, by configured address, to stop watching its files when removed. */
    private final java.util.Map<InetSocketAddress, io.gatehouse.server.tls.ServerTls> addedTls = new java.util.HashMap<>();
    private final HeadDeadlines headDeadlines;
    private final ListenerSet listenerSet;
    private final java.util.function.Function<List<ListenerSpec>, ListenerSet> listenersOf;
    private final CertificateReloader certificates;
    private final IdleConnections idleConnections = new IdleConnections();
    private final ConnectionLimit connectionLimit;
    private final TlsBufferBudget tlsBuffers;
    private ScheduledFuture<?> leaseExpiry;

    /**
     * @param config the validated configuration
     * @param chain the filter chain snapshot
     * @param scheduler the core's timer: its tasks only signal connections and exchanges
     * @param metrics where exchanges are recorded and the engine's gauges are registered
     */
    public ProxyEngine(GatehouseConfig config, FilterChain chain, ScheduledExecutorService scheduler, ServerMetrics metrics) {
        this(config, CurrentChain.of(chain), scheduler, metrics);
    }

    /**
     * @param config the validated configuration
     * @param chains the current filter chain snapshot, which reloads swap
     * @param scheduler the core's timer: its tasks only signal connections and exchanges
     * @param metrics where exchanges are recorded and the engine's gauges are registered
     */
    public ProxyEngine(GatehouseConfig config, CurrentChain chains, ScheduledExecutorService scheduler, ServerMetrics metrics) {
        this.config = config;
        this.scheduler = scheduler;
        Duration socketTimeout = max(config.timeouts().idle(), config.timeouts().response().plus(config.timeouts().connect()));

        Http1Config serverHttp1 = Http1Config.custom()
                .setBufferSize(SESSION_BUFFER)
                .setInitialWindowSize(ExchangeServices.BODY_BUFFER)
                .setMaxLineLength((int) Math.max(config.limits().headers(), 8192))
                .setChunkSizeHint(COALESCE_WRITES)
                .build();
        HttpProcessor serverProcessor = HttpProcessorBuilder.create()
                .add(RequestValidateHost.INSTANCE)
                .add(ResponseConnControl.INSTANCE)
                .build();
        long headDeadline = config.timeouts().requestHead().toNanos();
        this.headDeadlines = new HeadDeadlines(headDeadline);
        ConnectionReuseStrategy reuse = DefaultConnectionReuseStrategy.INSTANCE;
        DefaultHttpResponseWriterFactory writers = new DefaultHttpResponseWriterFactory(serverHttp1);
        this.connectionLimit = new ConnectionLimit(config.limits().connections(), System::nanoTime);
        this.tlsBuffers = TlsBufferBudget.ofHeap(Runtime.getRuntime().maxMemory());
        Http1Protocols http1 = (session, exchanges) -> {
            StrictRequestParser parser = new StrictRequestParser(config.limits(), headDeadline, headDeadlines);
            return new Http1Protocol(new ServerHttp1IOEventHandler(new MalformedBodyGuard.Duplexer(session, serverProcessor,
                    exchanges, serverHttp1, reuse, parser, writers.create(), DefaultContentLengthStrategy.INSTANCE,
                    ProxyEngine::logIoError)), parser);
        };
        this.listenersOf = specs -> ListenerSet.create(specs, http1, this::newExchange, config.limits(),
                Timeout.of(config.timeouts().requestHead()));
        this.listenerSet = listenersOf.apply(config.listen());
        this.certificates = new CertificateReloader(listenerSet.tlsContexts());
        IOEventHandlerFactory clientFacing = (session, attachment) -> {
            Listener listener = (Listener) attachment;
            ClientConnection connection = new ClientConnection(listener.protocols(session), connectionLimit, idleConnections);
            if (listener.tls().isPresent()) {
                if (connection.admitBeforeHandshake()) {
                    listener.startTls(session, connection, tlsBuffers);
                } else {
                    session.close(CloseMode.IMMEDIATE); // over server.limits.connections: no handshake
                }
            }
            return connection;
        };

        // The proxy→origin leg: no default interceptors (the proxy frames and forwards the client's
        // head itself: no Expect: 100-continue, no User-Agent), and connections with unread bytes
        // never go back to the pool (OriginConnectionGuard).
        Http1Config clientHttp1 = Http1Config.custom()
                .setBufferSize(ORIGIN_SESSION_BUFFER)
                .setInitialWindowSize(ExchangeServices.BODY_BUFFER)
                .setChunkSizeHint(COALESCE_WRITES)
                .build();
        ClientHttp1IOEventHandlerFactory originFacing = new ClientHttp1IOEventHandlerFactory(
                new ClientHttp1StreamDuplexerFactory(HttpProcessorBuilder.create().build(), clientHttp1,
                        CharCodingConfig.DEFAULT, reuse, OriginConnectionGuard.parsers(clientHttp1),
                        OriginConnectionGuard.writers(clientHttp1), null),
                null, null);

        // One reactor for both legs: an exchange's origin connection lives on its client
        // connection's I/O thread, so a request crosses no thread boundary (ReactorWorkers).
        IOEventHandlerFactory handlers = (session, attachment) -> attachment == OriginConnections.ORIGIN
                ? originFacing.createHandler(session, attachment)
                : attachment instanceof Http2Connection http2 ? Http2Origins.handler(session, http2)
                : attachment instanceof OriginConnections.TunnelAttachment tunnel ? tunnel.handler()
                : clientFacing.createHandler(session, attachment);
        ReactorWorkers workers = new ReactorWorkers();
        IOReactorConfig reactorConfig = IOReactorConfig.custom()
                .setIoThreadCount(config.ioThreads())
                .setSelectInterval(SELECT_INTERVAL)
                .setSoTimeout(Timeout.of(socketTimeout))
                .setTcpNoDelay(true)
                .setSoReuseAddress(true)
                .setBacklogSize(1024)
                .build();
        this.reactor = new DefaultListeningIOReactor(handlers, reactorConfig, workers, null, null,
                ProxyEngine::logIoError, null, null, ShutdownCommand.GRACEFUL_NORMAL_CALLBACK, workers);
        // No lifetime cap on origin connections: a cap retires every connection opened in the same
        // burst at the same moment (a reconnect storm and a latency spike). In use, an origin
        // connection's socket timeout is `response`; idle in the pool, `upstream-pool.idle-timeout`
        // (long by default, like Envoy's: re-opening a drained pool under load costs a latency spike).
        this.origins = new OriginConnections(reactor, config.ioThreads(), config.upstreamPool().maxPerRoute(),
                TimeValue.NEG_ONE_MILLISECOND, Timeout.of(config.upstreamPool().idleTimeout()),
                (int) Math.min(Integer.MAX_VALUE, config.limits().headers()), OriginTls.create(config.upstreamPool().tls()), scheduler);
        this.services = new ExchangeServices(config, chains, scheduler, origins, metrics.exchanges());
        metrics.bindTunnels(services.tunnels()::count, services.tunnels()::bytesToOrigin, services.tunnels()::bytesToClient);
        metrics.bindEngine(services::inFlight, connectionLimit::open, idleConnections::asleep, connectionLimit::refused,
                () -> origins.totals().getLeased(), () -> origins.totals().getAvailable());
    }

    /**
     * The handler of a request head HttpCore just parsed, on the connection's I/O thread: its
     * exchange runs its deferred work on that connection's thread.
     */
    private ClientLeg newExchange() {
        ClientConnection connection = ClientConnection.current();
        if (connection != null && connection.multiplexed()) {
            return new ClientLeg(services, connection); // HTTP/2: streams are not in pipeline order
        }
        ClientLeg leg = connection != null ? new ClientLeg(services, connection, connection.order())
                : new ClientLeg(services, Runnable::run);
        MalformedBodyGuard guard = MalformedBodyGuard.takeForNewExchange();
        if (guard != null) {
            guard.onMalformed(leg::malformedRequestBody);
        }
        return leg;
    }

    /**
     * Starts the requester and the server and binds every listener.
     *
     * @throws ConfigException naming {@code server.listen[i]} when an address cannot be bound
     */
    public void start() {
        headDeadlines.start(scheduler, SELECT_INTERVAL.toMilliseconds());
        idleConnections.start(scheduler);
        leaseExpiry = scheduler.scheduleAtFixedRate(origins::expireWaitingLeases, SELECT_INTERVAL.toMilliseconds(),
                SELECT_INTERVAL.toMilliseconds(), TimeUnit.MILLISECONDS);
        reactor.start();
        certificates.start();
        for (Listener listener : listenerSet.listeners()) {
            InetSocketAddress address = listener.spec().address();
            Future<ListenerEndpoint> future = reactor.listen(address, listener, null);
            try {
                listeners.add(future.get(10, TimeUnit.SECONDS));
                configuredListen.add(address);
            } catch (ExecutionException e) {
                throw cannotListen(listener.spec().key(), address, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding " + address, e);
            } catch (TimeoutException e) {
                throw new ConfigException(listener.spec().key(), "binding " + format(address) + " timed out");
            }
        }
    }

    /**
     * Applies a reloaded {@code server.listen}: binds the addresses that are new (with their TLS
     * and HTTP/2 settings), then stops accepting on those no longer listed. Connections already
     * accepted on a removed listener, and every listener that stays (by address, its settings
     * unchanged until a restart), are not touched.
     *
     * @param wanted the addresses as configured now
     * @return the addresses bound and those closed, as configured
     * @throws ConfigException naming {@code server.listen[i]} when a new address cannot be bound;
     *     then nothing changed
     */
    public synchronized ListenerChange relisten(List<ListenerSpec> wanted) {
        List<ListenerEndpoint> bound = new ArrayList<>();
        List<InetSocketAddress> added = new ArrayList<>();
        java.util.Map<InetSocketAddress, io.gatehouse.server.tls.ServerTls> newTls = new java.util.HashMap<>();
        List<InetSocketAddress> wantedAddresses = wanted.stream().map(ListenerSpec::address).toList();
        for (int i = 0; i < wanted.size(); i++) {
            InetSocketAddress address = wanted.get(i).address();
            if (configuredListen.contains(address)) {
                continue;
            }
            try {
                Listener listener = listenersOf.apply(List.of(wanted.get(i))).listeners().get(0);
                bound.add(reactor.listen(address, listener, null).get(10, TimeUnit.SECONDS));
                added.add(address);
                listener.tls().ifPresent(tls -> newTls.put(address, tls));
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                bound.forEach(listener -> listener.close(CloseMode.GRACEFUL));
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw e instanceof ExecutionException ? cannotListen("server.listen[" + i + "]", address, e.getCause())
                        : new ConfigException("server.listen[" + i + "]", "binding " + format(address) + " did not complete");
            }
        }
        List<InetSocketAddress> removed = new ArrayList<>();
        for (int i = configuredListen.size() - 1; i >= 0; i--) {
            if (!wantedAddresses.contains(configuredListen.get(i))) {
                listeners.remove(i).close(CloseMode.GRACEFUL);
                InetSocketAddress gone = configuredListen.remove(i);
                removed.add(0, gone);
                java.util.Optional.ofNullable(addedTls.remove(gone)).ifPresent(certificates::forget);
            }
        }
        listeners.addAll(bound);
        configuredListen.addAll(added);
        newTls.values().forEach(certificates::watch); // their certificate files are reloaded as the others'
        addedTls.putAll(newTls);
        return new ListenerChange(added, removed);
    }

    /**
     * What {@link #relisten} changed.
     *
     * @param added addresses now listened on
     * @param removed addresses no longer listened on
     */
    public record ListenerChange(List<InetSocketAddress> added, List<InetSocketAddress> removed) {

        /** Copies lists. */
        public ListenerChange {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /** @return the bound listener addresses, ports resolved */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> bound = new ArrayList<>();
        for (ListenerEndpoint listener : listeners) {
            bound.add((InetSocketAddress) listener.getAddress());
        }
        return bound;
    }

    /**
     * Stops accepting, lets in-flight exchanges finish for up to {@code grace}, then closes
     * everything.
     *
     * @param grace the longest wait for in-flight exchanges
     * @return whether every in-flight exchange finished in time
     */
    public boolean stop(Duration grace) {
        startDraining();
        closeListeners();
        boolean drained = services.awaitDrained(grace);
        if (!drained) {
            LOG.warn("Shutdown grace of {} ms elapsed with {} exchanges in flight", grace.toMillis(), services.inFlight());
        }
        headDeadlines.stop();
        idleConnections.stop();
        certificates.close();
        if (leaseExpiry != null) {
            leaseExpiry.cancel(false);
        }
        services.tunnels().closeAll(); // HttpCore's exchange callbacks no longer reach a spliced connection
        // Graceful first, so the last bytes of finished exchanges still leave the output buffers.
        origins.close();
        reactor.initiateShutdown();
        try {
            reactor.awaitShutdown(FLUSH_ON_SHUTDOWN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reactor.close(CloseMode.IMMEDIATE);
        try {
            reactor.awaitShutdown(TimeValue.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    /**
     * Starts draining without stopping: every exchange from now on answers with {@code
     * Connection: close}, so keep-alive clients leave after their current request, and HTTP/2
     * clients get {@code GOAWAY} (their streams under way finish).
     */
    public void startDraining() {
        services.startDraining();
        idleConnections.drain();
    }

    /** Stops accepting new connections; established ones are served on. Idempotent. */
    public synchronized void closeListeners() {
        for (ListenerEndpoint listener : listeners) {
            listener.close(CloseMode.GRACEFUL);
        }
    }

    /** @return the open WebSocket tunnels */
    public io.gatehouse.server.tunnel.Tunnels tunnels() {
        return services.tunnels();
    }

    /** @return the number of exchanges in flight */
    public int inFlight() {
        return services.inFlight();
    }

    /** @return the client connections: open, of those asleep (idle, holding no buffers), refused since start */
    public ConnectionStats connections() {
        return new ConnectionStats(connectionLimit.open(), idleConnections.asleep(), connectionLimit.refused(), tlsBuffers.kept());
    }

    /**
     * Client connection counts.
     *
     * @param open open now
     * @param asleep of those, idle long enough to have dropped their buffers
     * @param refused refused over {@code server.limits.connections} since start
     * @param tlsBuffersKept of the open ones, TLS connections keeping their TLS buffers ({@code tls.buffers: auto})
     */
    public record ConnectionStats(int open, int asleep, long refused, int tlsBuffersKept) {
    }

    /**
     * The one wording of every listener that cannot bind: {@code server.listen[0]: cannot listen
     * on 127.0.0.1:8080: address already in use or not available}.
     *
     * @param key the configuration key of the address
     * @param address the address
     * @param cause why binding failed
     * @return the error to throw
     */
    public static ConfigException cannotListen(String key, InetSocketAddress address, Throwable cause) {
        String problem = cause instanceof BindException ? "address already in use or not available"
                : cause instanceof java.nio.channels.UnresolvedAddressException ? "unknown host"
                : String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause);
        return new ConfigException(key, "cannot listen on " + format(address) + ": " + problem);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String format(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static void logIoError(Exception e) {
        LOG.debug("I/O error: {}", e.toString());
    }
}
