package io.gatehouse.server.http;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.function.Callback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.impl.nio.ClientHttp1IOEventHandlerFactory;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexerFactory;
import org.apache.hc.core5.http.nio.ssl.BasicClientTlsStrategy;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.pool.DefaultDisposalCallback;
import org.apache.hc.core5.pool.LaxConnPool;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

import java.util.concurrent.Future;

/**
 * HttpCore's pooled requester, built by hand for three reasons (the third: {@link
 * OriginConnectionGuard} keeps connections with unread bytes out of the pool): the proxy→origin leg must not get
 * HttpCore's default request interceptors (no {@code Expect: 100-continue}, no added
 * {@code User-Agent}: the proxy frames and forwards the client's head itself), and a new origin
 * connection must get the response timeout as its socket timeout (the longest the origin may
 * stay silent, before its response head or within its body: a silent origin gets 504) —
 * HttpCore's {@code connect} would leave the connect timeout there.
 */
final class OriginRequester extends HttpAsyncRequester {

    private final Timeout socketTimeout;

    private OriginRequester(IOReactorConfig reactor, ClientHttp1IOEventHandlerFactory handlers,
                            LaxConnPool<HttpHost, IOSession> pool, Callback<Exception> exceptionCallback,
                            Timeout socketTimeout) {
        super(reactor, handlers, null, exceptionCallback, null, pool, new BasicClientTlsStrategy(), null, null, null);
        this.socketTimeout = socketTimeout;
    }

    /**
     * @param reactor I/O reactor settings
     * @param http1 HTTP/1.1 settings of origin connections
     * @param maxPerRoute pooled connections per origin
     * @param timeToLive how long a pooled connection may live
     * @param socketTimeout the socket timeout of every origin connection
     * @param exceptionCallback where I/O errors are reported
     * @return the requester, not started
     */
    static OriginRequester create(IOReactorConfig reactor, Http1Config http1, int maxPerRoute, Timeout timeToLive,
                                  Timeout socketTimeout, Callback<Exception> exceptionCallback) {
        ClientHttp1StreamDuplexerFactory duplexers = new ClientHttp1StreamDuplexerFactory(
                HttpProcessorBuilder.create().build(), http1, CharCodingConfig.DEFAULT,
                DefaultConnectionReuseStrategy.INSTANCE, OriginConnectionGuard.parsers(http1),
                OriginConnectionGuard.writers(http1), null);
        LaxConnPool<HttpHost, IOSession> pool = new LaxConnPool<>(maxPerRoute, timeToLive, PoolReusePolicy.LIFO,
                new DefaultDisposalCallback<>(), null);
        return new OriginRequester(reactor, new ClientHttp1IOEventHandlerFactory(duplexers, null, null), pool,
                exceptionCallback, socketTimeout);
    }

    @Override
    public Future<IOSession> requestSession(HttpHost host, Timeout timeout, Object attachment,
                                            FutureCallback<IOSession> callback) {
        return super.requestSession(host, timeout, attachment, new FutureCallback<>() {
            @Override
            public void completed(IOSession session) {
                callback.completed(session);
                session.setSocketTimeout(socketTimeout);
            }

            @Override
            public void failed(Exception ex) {
                callback.failed(ex);
            }

            @Override
            public void cancelled() {
                callback.cancelled();
            }
        });
    }
}
