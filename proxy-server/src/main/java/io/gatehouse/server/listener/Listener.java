package io.gatehouse.server.listener;

import io.gatehouse.server.config.ListenerSpec;
import io.gatehouse.server.tls.ServerTls;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.TlsDetails;
import org.apache.hc.core5.util.Timeout;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One bound listener: what a connection accepted on it speaks. Its object is the attachment of
 * HttpCore's listener endpoint, so the reactor hands it every accepted session.
 *
 * <ul>
 *   <li>cleartext: HTTP/1.1 (the strict path, exactly as without this class), or with
 *       {@code http2: true} HTTP/1.1 or h2c by the first bytes ({@link PriorKnowledge});</li>
 *   <li>TLS: HttpCore's TLS layer under the connection ({@code startTls}: the handshake runs
 *       before the connection's handler hears of it), then HTTP/2 when ALPN chose {@code h2},
 *       else HTTP/1.1 on the same strict path;</li>
 *   <li>redirect: HTTP/1.1 answering every request with a redirect to HTTPS.</li>
 * </ul>
 */
final class Listener {

    private final ListenerSpec spec;
    private final Optional<ServerTls> tls;
    private final Http1Protocols http1;
    private final HandlerFactory<AsyncServerExchangeHandler> http1Exchanges;
    private final Function<ProtocolIOSession, Http2Protocol> http2;
    private final Timeout handshakeTimeout;

    /**
     * @param spec the configured listener
     * @param tls its TLS context, for a TLS listener
     * @param http1 creates HTTP/1.1 handling
     * @param http1Exchanges the exchanges of its HTTP/1.1 requests
     * @param http2 creates HTTP/2 handling for a connection
     * @param handshakeTimeout how long a TLS handshake may take
     */
    Listener(ListenerSpec spec, Optional<ServerTls> tls, Http1Protocols http1, HandlerFactory<AsyncServerExchangeHandler> http1Exchanges,
             Function<ProtocolIOSession, Http2Protocol> http2, Timeout handshakeTimeout) {
        this.spec = spec;
        this.tls = tls;
        this.http1 = http1;
        this.http1Exchanges = http1Exchanges;
        this.http2 = http2;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** @return the configured listener */
    ListenerSpec spec() {
        return spec;
    }

    /** @return its TLS context, for a TLS listener */
    Optional<ServerTls> tls() {
        return tls;
    }

    /**
     * Starts TLS under a connection just accepted on this TLS listener: HttpCore's TLS layer runs
     * the handshake before the connection's handler hears of it. Its buffers are kept for the
     * connection's life ({@code STATIC}) or taken per event ({@code DYNAMIC}) as {@code
     * tls.buffers} says; with {@code auto}, kept while the budget allows.
     *
     * @param session the new connection's session
     * @param connection the connection's handler
     * @param budget the engine's budget of connections that keep their TLS buffers
     */
    void startTls(ProtocolIOSession session, ClientConnection connection, TlsBufferBudget budget) {
        ServerTls context = tls.orElseThrow();
        boolean keep = switch (context.settings().buffers()) {
            case PER_CONNECTION -> true;
            case ON_DEMAND -> false;
            case AUTO -> connection.keepTlsBuffers(budget);
        };
        session.startTls(context.context(), null, keep ? SSLBufferMode.STATIC : SSLBufferMode.DYNAMIC, context::initialize, null,
                handshakeTimeout);
    }

    /**
     * @param session a connection accepted on this listener
     * @return what creates the connection's protocol when it has something to read
     */
    Supplier<ClientProtocol> protocols(ProtocolIOSession session) {
        if (tls.isPresent()) {
            return () -> spec.http2() && "h2".equals(applicationProtocol(session))
                    ? http2.apply(session) : http1.create(session, http1Exchanges);
        }
        if (spec.http2() && spec.redirectToHttps().isEmpty()) {
            return () -> new PriorKnowledge(() -> http1.create(session, http1Exchanges), () -> http2.apply(session));
        }
        return () -> http1.create(session, http1Exchanges);
    }

    private static String applicationProtocol(ProtocolIOSession session) {
        TlsDetails details = session.getTlsDetails();
        return details == null ? null : details.getApplicationProtocol();
    }
}
