package io.gatehouse.server.upstream;

import io.gatehouse.server.tls.OriginTls;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.impl.nio.ClientH2PrefaceHandler;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.TlsDetails;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections to HTTP/2 origins ({@code h2c} and {@code h2} upstreams): per I/O worker and
 * origin, multiplexed connections shared by the exchanges of that worker, one stream each
 * ({@link Http2Stream}). A lease takes the first connection with room for one more stream under
 * the origin's {@code SETTINGS_MAX_CONCURRENT_STREAMS}; when all are full, it opens another, up
 * to {@code maxPerRoute}, past which the least busy connection queues the stream until a slot is
 * free (its silence timer runs meanwhile). Connections that closed, failed or received
 * {@code GOAWAY} are dropped on the next lease.
 *
 * <p>The connection's socket timeout is {@code upstream-pool.idle-timeout}: a connection with no
 * frame in either direction for that long is closed with {@code GOAWAY}. A stream's own silence
 * ({@code timeouts.response}) is watched per stream.
 */
public final class Http2Origins {

    /** Each stream's receive window: what an origin may send ahead of the client's reading. */
    private static final int STREAM_WINDOW = 64 * 1024;

    private final ConnectionInitiator reactor;
    private final OriginTls tls;
    private final ScheduledExecutorService timer;
    private final Timeout idleTimeout;
    private final H2Config config;
    private final HttpProcessor processor = HttpProcessorBuilder.create().build(); // the proxy builds each head itself
    private final Map<HttpHost, List<Http2Connection>>[] connections;
    private final int maxPerRoute;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param reactor opens the connections
     * @param workers the number of I/O workers
     * @param maxPerRoute most connections to one origin per worker
     * @param idleTimeout how long a connection may carry no frame before it is closed
     * @param maxHeaderList the largest response header list accepted, in bytes
     * @param tls TLS towards {@code h2} origins
     * @param timer the core's timer, for the streams' silence
     */
    @SuppressWarnings("unchecked")
    public Http2Origins(ConnectionInitiator reactor, int workers, int maxPerRoute, Timeout idleTimeout, int maxHeaderList,
                        OriginTls tls, ScheduledExecutorService timer) {
        this.reactor = reactor;
        this.maxPerRoute = maxPerRoute;
        this.tls = tls;
        this.timer = timer;
        this.idleTimeout = idleTimeout;
        this.config = H2Config.custom()
                .setPushEnabled(false)
                .setInitialWindowSize(STREAM_WINDOW)
                .setMaxHeaderListSize(maxHeaderList)
                .build();
        this.connections = new Map[workers];
        for (int i = 0; i < workers; i++) {
            connections[i] = new HashMap<>();
        }
    }

    /**
     * @param target an origin
     * @return whether the proxy speaks HTTP/2 to it
     */
    public static boolean speaksHttp2(HttpHost target) {
        return "h2c".equals(target.getSchemeName()) || "h2".equals(target.getSchemeName());
    }

    /**
     * Gives a stream on one of this worker's connections to {@code target}, opening one when none
     * has room (see the class comment).
     *
     * @param target an {@code h2c} or {@code h2} origin
     * @param connectTimeout bound on connecting plus the TLS handshake
     * @param silence how long the origin may stay silent on the stream
     * @param callback receives the stream's endpoint, or the connect failure
     */
    public void lease(HttpHost target, Timeout connectTimeout, Timeout silence, FutureCallback<AsyncClientEndpoint> callback) {
        int worker = ReactorWorkers.currentWorker();
        Map<HttpHost, List<Http2Connection>> pool = connections[worker >= 0 && worker < connections.length ? worker
                : Math.floorMod(next.getAndIncrement(), connections.length)];
        Http2Connection connection = null;
        boolean fresh = false;
        synchronized (pool) {
            List<Http2Connection> open = pool.computeIfAbsent(target, origin -> new ArrayList<>(1));
            open.removeIf(Http2Connection::replaceable);
            Http2Connection leastBusy = null;
            for (Http2Connection candidate : open) {
                if (candidate.hasRoom()) {
                    connection = candidate;
                    break;
                }
                if (leastBusy == null || candidate.active() < leastBusy.active()) {
                    leastBusy = candidate;
                }
            }
            if (connection == null && open.size() < maxPerRoute) {
                long known = open.isEmpty() ? Long.MAX_VALUE : open.get(0).maxStreams();
                connection = new Http2Connection(processor, config, timer, known);
                open.add(connection);
                fresh = true;
            } else if (connection == null) {
                connection = leastBusy;
            }
            connection.reserve();
        }
        connection.join(silence, callback);
        if (fresh) {
            connect(target, connection, connectTimeout);
        }
    }

    private void connect(HttpHost target, Http2Connection connection, Timeout connectTimeout) {
        try {
            reactor.connect(target, new InetSocketAddress(target.getHostName(), target.getPort()), null, connectTimeout,
                    connection, new FutureCallback<>() {
                        @Override
                        public void completed(IOSession session) {
                            if ("h2".equals(target.getSchemeName())) { // h2c: the preface goes out at once
                                startTls((ProtocolIOSession) session, target, connection, connectTimeout);
                            } else {
                                opened(session, connection);
                            }
                        }

                        @Override
                        public void failed(Exception cause) {
                            connection.failed(cause);
                        }

                        @Override
                        public void cancelled() {
                            connection.failed(new ConnectException("connect cancelled"));
                        }
                    });
        } catch (RuntimeException e) {
            connection.failed(e);
        }
    }

    private void startTls(ProtocolIOSession session, HttpHost target, Http2Connection connection, Timeout connectTimeout) {
        session.startTls(tls.context(), target, SSLBufferMode.STATIC, tls::initializeHttp2, null, connectTimeout,
                new FutureCallback<TransportSecurityLayer>() {
                    @Override
                    public void completed(TransportSecurityLayer secured) {
                        TlsDetails details = session.getTlsDetails();
                        if (details == null || !"h2".equals(details.getApplicationProtocol())) {
                            session.close(CloseMode.IMMEDIATE);
                            connection.failed(new ConnectException("the upstream " + target
                                    + " did not agree to HTTP/2 in the TLS handshake (ALPN h2)"));
                            return;
                        }
                        opened(session, connection);
                    }

                    @Override
                    public void failed(Exception cause) {
                        session.close(CloseMode.IMMEDIATE);
                        connection.failed(cause);
                    }

                    @Override
                    public void cancelled() {
                        session.close(CloseMode.IMMEDIATE);
                        connection.failed(new ConnectException("TLS handshake cancelled"));
                    }
                });
    }

    private void opened(IOSession session, Http2Connection connection) {
        session.setSocketTimeout(idleTimeout);
        connection.opened(session);
    }

    /** Closes every connection: streams still open are reset by the close. */
    public void close() {
        for (Map<HttpHost, List<Http2Connection>> pool : connections) {
            synchronized (pool) {
                pool.values().forEach(open -> open.forEach(Http2Connection::close));
                pool.clear();
            }
        }
    }

    /**
     * @param endpoint an endpoint this class leased
     * @return whether its connection had carried earlier streams (and so may have gone away)
     */
    static boolean wasReused(AsyncClientEndpoint endpoint) {
        return endpoint instanceof Http2Stream stream && stream.reused();
    }

    /**
     * The event handler of a new connection: the HTTP/2 preface (after the TLS handshake for
     * {@code h2}, which must have agreed on {@code h2}), then the multiplexer.
     *
     * @param session the new connection
     * @param connection what {@link #lease} attached to it
     * @return the handler
     */
    public static IOEventHandler handler(IOSession session, Http2Connection connection) {
        return new ClientH2PrefaceHandler((ProtocolIOSession) session, connection.multiplexers(), true, null);
    }
}
