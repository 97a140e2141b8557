package io.gatehouse.server.listener;

import io.gatehouse.server.config.Limits;
import io.gatehouse.server.config.ListenerSpec;
import io.gatehouse.server.exchange.ExchangeServices;
import io.gatehouse.server.tls.ServerTls;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.impl.nio.ServerH2StreamMultiplexerFactory;
import org.apache.hc.core5.http2.protocol.H2RequestConformance;
import org.apache.hc.core5.util.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The configured listeners, ready to bind: TLS contexts built (certificate files read and
 * checked, errors naming the key and path), HTTP/2 settings chosen, exchange factories per kind
 * of listener. Built once at start-up.
 */
final class ListenerSet {

    /** Streams a client may have open at once on one HTTP/2 connection. */
    static final int MAX_CONCURRENT_STREAMS = 128;
    /** CONTINUATION frames a header block may have (HttpCore bounds them; 2024 CONTINUATION flood). */
    static final int MAX_CONTINUATIONS = 16;

    private final List<Listener> listeners;

    private ListenerSet(List<Listener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * @param specs the configured listeners
     * @param http1 creates a connection's HTTP/1.1 handling
     * @param exchanges creates the exchange of a request
     * @param limits {@code server.limits}: the header list size of HTTP/2 requests
     * @param handshakeTimeout how long a TLS handshake may take
     * @return the listeners
     * @throws io.gatehouse.api.ConfigException naming the key of a bad certificate, protocol or cipher
     */
    static ListenerSet create(List<ListenerSpec> specs, Http1Protocols http1, Supplier<? extends AsyncServerExchangeHandler> exchanges,
                              Limits limits, Timeout handshakeTimeout) {
        // The initial stream window is the exchange's body buffer, which its credit accounting
        // assumes: a stream then holds at most 64 KiB of request body that the origin has not
        // taken, and a connection at most MAX_CONCURRENT_STREAMS x 64 KiB (8 MiB) per direction.
        H2Config h2 = H2Config.custom()
                .setPushEnabled(false)
                .setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .setMaxHeaderListSize((int) Math.min(Integer.MAX_VALUE, limits.headers()))
                .setMaxContinuations(MAX_CONTINUATIONS)
                .setInitialWindowSize(ExchangeServices.BODY_BUFFER)
                .build();
        HttpProcessor h2Processor = HttpProcessorBuilder.create().add(H2RequestConformance.INSTANCE).build();
        List<Listener> listeners = new ArrayList<>();
        for (ListenerSpec spec : specs) {
            Optional<ServerTls> tls = spec.tls().map(settings -> ServerTls.create(settings, spec.http2()));
            Optional<String> hsts = spec.tls().flatMap(settings -> settings.hsts());
            boolean clientCertificates = spec.tls().flatMap(settings -> settings.clientAuth()).isPresent();
            Optional<String> subjectHeader = spec.tls().flatMap(settings -> settings.clientAuth())
                    .flatMap(auth -> auth.forwardHeader());
            HandlerFactory<AsyncServerExchangeHandler> http1Exchanges;
            if (spec.redirectToHttps().isPresent()) {
                http1Exchanges = new RedirectToHttps(spec.redirectToHttps().getAsInt());
            } else if (hsts.isPresent() || clientCertificates) {
                http1Exchanges = (request, context) -> new ListenerExchange(exchanges.get(), false, hsts, clientCertificates,
                        subjectHeader);
            } else {
                http1Exchanges = (request, context) -> exchanges.get();
            }
            HandlerFactory<AsyncServerExchangeHandler> http2Exchanges =
                    (request, context) -> new ListenerExchange(exchanges.get(), true, hsts, clientCertificates, subjectHeader);
            listeners.add(new Listener(spec, tls, http1, http1Exchanges,
                    session -> new Http2Protocol(session, new ServerH2StreamMultiplexerFactory(h2Processor, http2Exchanges, h2,
                            CharCodingConfig.DEFAULT, new H2FloodGuard(System::nanoTime))),
                    handshakeTimeout));
        }
        return new ListenerSet(listeners);
    }

    /** @return the TLS contexts of the TLS listeners */
    List<ServerTls> tlsContexts() {
        return listeners.stream().flatMap(listener -> listener.tls().stream()).toList();
    }

    /** @return the listeners, in configuration order */
    List<Listener> listeners() {
        return listeners;
    }
}
