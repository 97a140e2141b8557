package io.gatehouse.server.listener;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncPushProducer;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import io.gatehouse.api.ClientCertificate;
import io.gatehouse.server.tls.ClientCertificates;
import org.apache.hc.core5.net.URIAuthority;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * What a listener adds around an exchange, for TLS and HTTP/2 listeners only (plain HTTP/1.1
 * exchanges are not wrapped):
 *
 * <ul>
 *   <li>HTTP/2 requests get the {@code Host} field from {@code :authority} (RFC 9113 §8.3.1), so
 *       the exchange and the filters see one shape of request whatever the protocol; their
 *       {@code Content-Length}, if any, becomes the body's length, held to the DATA frames
 *       ({@link Http2BodyLength}: the proxy never forwards a length the bytes do not match);</li>
 *   <li>HTTP/2 response heads lose the connection-specific fields ({@code Connection},
 *       {@code Keep-Alive}, {@code Transfer-Encoding}, {@code Upgrade}, {@code Proxy-Connection})
 *       that HTTP/2 forbids (RFC 9113 §8.2.2) and that the HTTP/1.1 framing of the exchange may have set;</li>
 *   <li>responses on TLS listeners get {@code Strict-Transport-Security} when configured, unless
 *       the origin or a filter set it;</li>
 *   <li>on listeners with client certificates and {@code forward-header}, that field carries the
 *       verified subject (RFC 2253) to the filters and the origin, and the client's copies are
 *       removed.</li>
 * </ul>
 */
final class ListenerExchange implements AsyncServerExchangeHandler {

    private static final String[] CONNECTION_SPECIFIC = {"Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade",
            "Proxy-Connection"};

    private final AsyncServerExchangeHandler exchange;
    private final boolean http2;
    private final Optional<String> hsts;
    private final boolean clientCertificates;
    private final Optional<String> clientSubjectHeader;
    private Http2BodyLength bodyLength;

    /**
     * @param exchange the exchange
     * @param http2 whether the request came over HTTP/2
     * @param hsts the {@code Strict-Transport-Security} value, if any
     * @param clientCertificates whether the listener asks clients for certificates (mTLS)
     * @param clientSubjectHeader the field that carries the verified client certificate's subject, if any
     */
    ListenerExchange(AsyncServerExchangeHandler exchange, boolean http2, Optional<String> hsts, boolean clientCertificates,
                     Optional<String> clientSubjectHeader) {
        this.exchange = exchange;
        this.http2 = http2;
        this.hsts = hsts;
        this.clientCertificates = clientCertificates;
        this.clientSubjectHeader = clientSubjectHeader;
    }

    @Override
    public void handleRequest(HttpRequest request, EntityDetails entityDetails, ResponseChannel responseChannel,
                              HttpContext context) throws HttpException, IOException {
        if (http2) {
            URIAuthority authority = request.getAuthority();
            if (authority != null) {
                request.setHeader("Host", authority.toString());
            }
            bodyLength = Http2BodyLength.of(request, entityDetails);
            entityDetails = bodyLength.applyTo(entityDetails);
        }
        Optional<ClientCertificate> certificate = clientCertificates
                ? ClientCertificates.of(HttpCoreContext.cast(context).getSSLSession()) : Optional.empty();
        certificate.ifPresent(verified -> context.setAttribute(ClientCertificates.CONTEXT_ATTRIBUTE, verified));
        if (clientSubjectHeader.isPresent()) {
            String header = clientSubjectHeader.get();
            request.removeHeaders(header); // never the client's word
            certificate.ifPresent(verified -> request.setHeader(header, verified.subject()));
        }
        exchange.handleRequest(request, entityDetails, new Heads(responseChannel), context);
    }

    /** The response channel, with the heads adjusted on their way out. */
    private final class Heads implements ResponseChannel {
        private final ResponseChannel channel;

        Heads(ResponseChannel channel) {
            this.channel = channel;
        }

        @Override
        public void sendInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
            if (http2) {
                strip(response);
            }
            channel.sendInformation(response, context);
        }

        @Override
        public void sendResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context)
                throws HttpException, IOException {
            if (http2) {
                strip(response);
            }
            if (hsts.isPresent() && !response.containsHeader("Strict-Transport-Security")) {
                response.addHeader("Strict-Transport-Security", hsts.get());
            }
            channel.sendResponse(response, entityDetails, context);
        }

        @Override
        public void pushPromise(HttpRequest promise, AsyncPushProducer responseProducer, HttpContext context)
                throws HttpException, IOException {
            channel.pushPromise(promise, responseProducer, context);
        }
    }

    private static void strip(HttpResponse response) {
        for (String name : CONNECTION_SPECIFIC) {
            response.removeHeaders(name);
        }
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        exchange.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (bodyLength != null) {
            bodyLength.received(src.remaining());
        }
        exchange.consume(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        if (bodyLength != null) {
            bodyLength.ended();
        }
        exchange.streamEnd(trailers);
    }

    @Override
    public int available() {
        return exchange.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        if (http2) {
            ClientConnection connection = ClientConnection.current();
            if (connection != null && connection.outputBlocked()) {
                return; // no stream can write now; the multiplexer asks again in the next output event
            }
        }
        exchange.produce(channel);
    }

    @Override
    public void failed(Exception cause) {
        exchange.failed(cause);
    }

    @Override
    public void releaseResources() {
        exchange.releaseResources();
    }
}
