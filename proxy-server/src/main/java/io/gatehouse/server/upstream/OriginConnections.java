package io.gatehouse.server.upstream;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.pool.DefaultDisposalCallback;
import org.apache.hc.core5.pool.LaxConnPool;
import org.apache.hc.core5.pool.PoolEntry;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.http.URIScheme;
import io.gatehouse.server.tls.OriginTls;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pooled proxy→origin connections, one pool per I/O worker: an exchange leases from the pool of
 * the thread it runs on, and a new connection is opened on that same thread (see {@link
 * ReactorWorkers}). Exchanges continuing on a non-I/O thread (after an asynchronous filter) use
 * the pools round-robin.
 */
public final class OriginConnections {

    /** Marks connections this class opens, so the reactor gives them a client-side handler. */
    public static final Object ORIGIN = new Object() {
        @Override
        public String toString() {
            return "origin connection";
        }
    };

    private final ConnectionInitiator reactor;
    private final OriginTls tls;
    private final LaxConnPool<HttpHost, IOSession>[] pools;
    private final Timeout idleTimeout;
    private final AtomicInteger next = new AtomicInteger();
    private final Http2Origins http2;
    private volatile boolean open = true;

    /**
     * @param reactor opens the connections
     * @param workers the number of I/O workers
     * @param maxPerRoute most connections to one origin per worker
     * @param timeToLive the longest life of a connection, negative for none
     * @param idleTimeout how long a connection may stay unused
     * @param maxHeaderList the largest response header list an HTTP/2 origin may send, in bytes
     * @param tls TLS towards {@code https} and {@code h2} origins
     * @param timer the core's timer (HTTP/2 streams' silence)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public OriginConnections(ConnectionInitiator reactor, int workers, int maxPerRoute, TimeValue timeToLive, Timeout idleTimeout,
                             int maxHeaderList, OriginTls tls, java.util.concurrent.ScheduledExecutorService timer) {
        this.reactor = reactor;
        this.tls = tls;
        this.idleTimeout = idleTimeout;
        this.http2 = new Http2Origins(reactor, workers, maxPerRoute, idleTimeout, maxHeaderList, tls, timer);
        this.pools = new LaxConnPool[workers];
        for (int i = 0; i < workers; i++) {
            pools[i] = new LaxConnPool<>(maxPerRoute, timeToLive, PoolReusePolicy.LIFO, new DefaultDisposalCallback<>(), null);
        }
    }

    /**
     * Leases a connection to {@code target}, opening one when the pool has none idle; to an
     * HTTP/2 origin ({@code h2c}, {@code h2}), a stream on its shared connection ({@link Http2Origins}).
     *
     * @param target the origin
     * @param connectTimeout bound on waiting for a pooled connection plus connecting
     * @param socketTimeout how long the origin may stay silent while the connection is in use
     * @param callback receives the endpoint, or the failure
     */
    public void lease(HttpHost target, Timeout connectTimeout, Timeout socketTimeout, FutureCallback<AsyncClientEndpoint> callback) {
        if (Http2Origins.speaksHttp2(target)) {
            http2.lease(target, connectTimeout, socketTimeout, callback);
            return;
        }
        int worker = ReactorWorkers.currentWorker();
        LaxConnPool<HttpHost, IOSession> pool = pools[worker >= 0 && worker < pools.length ? worker
                : Math.floorMod(next.getAndIncrement(), pools.length)];
        pool.lease(target, null, connectTimeout, new FutureCallback<>() {
            @Override
            public void completed(PoolEntry<HttpHost, IOSession> entry) {
                Endpoint endpoint = new Endpoint(pool, entry, idleTimeout);
                IOSession session = entry.getConnection();
                if (session != null && !session.isOpen()) {
                    entry.discardConnection(CloseMode.IMMEDIATE);
                }
                if (entry.hasConnection()) {
                    endpoint.reused = true;
                    entry.getConnection().setSocketTimeout(socketTimeout);
                    callback.completed(endpoint);
                    return;
                }
                connect(target, connectTimeout, socketTimeout, entry, endpoint, callback);
            }

            @Override
            public void failed(Exception cause) {
                callback.failed(cause);
            }

            @Override
            public void cancelled() {
                callback.cancelled();
            }
        });
    }

    private void connect(HttpHost target, Timeout connectTimeout, Timeout socketTimeout, PoolEntry<HttpHost, IOSession> entry,
                         Endpoint endpoint, FutureCallback<AsyncClientEndpoint> callback) {
        NamedEndpoint named = target;
        try {
            reactor.connect(named, new InetSocketAddress(target.getHostName(), target.getPort()), null, connectTimeout, ORIGIN,
                    new FutureCallback<>() {
                        @Override
                        public void completed(IOSession session) {
                            if (URIScheme.HTTPS.same(target.getSchemeName()) && session instanceof ProtocolIOSession protocol) {
                                startTls(protocol, target, connectTimeout, socketTimeout, entry, endpoint, callback);
                                return;
                            }
                            session.setSocketTimeout(socketTimeout);
                            entry.assignConnection(session);
                            callback.completed(endpoint);
                        }

                        @Override
                        public void failed(Exception cause) {
                            endpoint.releaseAndDiscard();
                            callback.failed(cause);
                        }

                        @Override
                        public void cancelled() {
                            endpoint.releaseAndDiscard();
                            callback.cancelled();
                        }
                    });
        } catch (RuntimeException e) {
            endpoint.releaseAndDiscard();
            callback.failed(e);
        }
    }

    /**
     * TLS on a new connection to an {@code https} origin, before the lease completes: a handshake
     * or verification failure is a connect failure (nothing was sent), the handshake counts
     * against the connect timeout.
     */
    private void startTls(ProtocolIOSession session, HttpHost target, Timeout connectTimeout, Timeout socketTimeout,
                          PoolEntry<HttpHost, IOSession> entry, Endpoint endpoint, FutureCallback<AsyncClientEndpoint> callback) {
        session.startTls(tls.context(), target, SSLBufferMode.STATIC, tls::initialize, null, connectTimeout,
                new FutureCallback<TransportSecurityLayer>() {
                    @Override
                    public void completed(TransportSecurityLayer secured) {
                        session.setSocketTimeout(socketTimeout);
                        entry.assignConnection(session);
                        callback.completed(endpoint);
                    }

                    @Override
                    public void failed(Exception cause) {
                        session.close(CloseMode.IMMEDIATE);
                        endpoint.releaseAndDiscard();
                        callback.failed(cause);
                    }

                    @Override
                    public void cancelled() {
                        session.close(CloseMode.IMMEDIATE);
                        endpoint.releaseAndDiscard();
                        callback.cancelled();
                    }
                });
    }

    /**
     * Opens a connection that is never pooled, for a tunnel: it is handled by {@code handler}
     * from the start (not by HttpCore's HTTP/1.1 client), over TLS for an {@code https} target.
     *
     * @param target the origin
     * @param connectTimeout bound on connecting plus the TLS handshake
     * @param handler the connection's event handler
     * @param callback receives the connected (and secured) session, or the failure
     */
    public void openTunnel(HttpHost target, Timeout connectTimeout, IOEventHandler handler, FutureCallback<IOSession> callback) {
        try {
            reactor.connect(target, new InetSocketAddress(target.getHostName(), target.getPort()), null, connectTimeout,
                    new TunnelAttachment(handler), new FutureCallback<>() {
                        @Override
                        public void completed(IOSession session) {
                            if (URIScheme.HTTPS.same(target.getSchemeName()) && session instanceof ProtocolIOSession protocol) {
                                protocol.startTls(tls.context(), target, SSLBufferMode.STATIC, tls::initialize, null, connectTimeout,
                                        new FutureCallback<TransportSecurityLayer>() {
                                            @Override
                                            public void completed(TransportSecurityLayer secured) {
                                                callback.completed(session);
                                            }

                                            @Override
                                            public void failed(Exception cause) {
                                                session.close(CloseMode.IMMEDIATE);
                                                callback.failed(cause);
                                            }

                                            @Override
                                            public void cancelled() {
                                                session.close(CloseMode.IMMEDIATE);
                                                callback.cancelled();
                                            }
                                        });
                                return;
                            }
                            callback.completed(session);
                        }

                        @Override
                        public void failed(Exception cause) {
                            callback.failed(cause);
                        }

                        @Override
                        public void cancelled() {
                            callback.cancelled();
                        }
                    });
        } catch (RuntimeException e) {
            callback.failed(e);
        }
    }

    /**
     * Marks a tunnel's origin connection, so the reactor gives it the tunnel's own handler.
     *
     * @param handler the connection's handler
     */
    public record TunnelAttachment(IOEventHandler handler) {
    }

    /**
     * Fails leases that waited longer than their timeout for a free connection (the pool checks
     * them only when a connection is released otherwise).
     */
    public void expireWaitingLeases() {
        for (LaxConnPool<HttpHost, IOSession> pool : pools) {
            pool.validatePendingRequests();
        }
    }

    /**
     * Sums the pools of every I/O thread (for the gauges: the pools are read without locking).
     *
     * @return leased, pending, available and maximum connections over all pools
     */
    public PoolStats totals() {
        int leased = 0;
        int pending = 0;
        int available = 0;
        int max = 0;
        for (LaxConnPool<HttpHost, IOSession> pool : pools) {
            PoolStats stats = pool.getTotalStats();
            leased += stats.getLeased();
            pending += stats.getPending();
            available += stats.getAvailable();
            max += stats.getMax();
        }
        return new PoolStats(leased, pending, available, max);
    }

    /** @return whether the pools are open */
    public boolean isOpen() {
        return open;
    }

    /** Closes every pooled connection. */
    public void close() {
        open = false;
        http2.close();
        for (LaxConnPool<HttpHost, IOSession> pool : pools) {
            pool.close(CloseMode.IMMEDIATE);
        }
    }

    /**
     * @param endpoint an endpoint this class leased
     * @return whether its connection had served earlier exchanges (and so may have gone stale)
     */
    static boolean wasReused(AsyncClientEndpoint endpoint) {
        return endpoint instanceof Endpoint ? ((Endpoint) endpoint).reused : Http2Origins.wasReused(endpoint);
    }

    /** One leased connection. */
    private static final class Endpoint extends AsyncClientEndpoint {
        private volatile boolean reused;
        private final LaxConnPool<HttpHost, IOSession> pool;
        private final AtomicReference<PoolEntry<HttpHost, IOSession>> entry;

        private final Timeout idleTimeout;

        Endpoint(LaxConnPool<HttpHost, IOSession> pool, PoolEntry<HttpHost, IOSession> entry, Timeout idleTimeout) {
            this.pool = pool;
            this.idleTimeout = idleTimeout;
            this.entry = new AtomicReference<>(entry);
        }

        @Override
        public void execute(AsyncClientExchangeHandler handler, HandlerFactory<AsyncPushConsumer> pushHandlers,
                            HttpContext context) {
            PoolEntry<HttpHost, IOSession> leased = entry.get();
            IOSession session = leased == null ? null : leased.getConnection();
            if (session == null) {
                throw new IllegalStateException("endpoint already released");
            }
            session.enqueue(new RequestExecutionCommand(handler, pushHandlers, null, context), Command.Priority.NORMAL);
            if (!session.isOpen()) {
                try {
                    handler.failed(new org.apache.hc.core5.http.ConnectionClosedException());
                } finally {
                    handler.releaseResources();
                }
            }
        }

        @Override
        public void releaseAndReuse() {
            PoolEntry<HttpHost, IOSession> released = entry.getAndSet(null);
            if (released != null) {
                IOSession session = released.getConnection();
                boolean open = session != null && session.isOpen();
                if (open) {
                    session.setSocketTimeout(idleTimeout); // how long it may wait in the pool
                }
                pool.release(released, open);
            }
        }

        @Override
        public void releaseAndDiscard() {
            PoolEntry<HttpHost, IOSession> released = entry.getAndSet(null);
            if (released != null) {
                released.discardConnection(CloseMode.GRACEFUL);
                pool.release(released, false);
            }
        }

        @Override
        public boolean isConnected() {
            PoolEntry<HttpHost, IOSession> leased = entry.get();
            return leased != null && leased.getConnection() != null && leased.getConnection().isOpen();
        }
    }
}
