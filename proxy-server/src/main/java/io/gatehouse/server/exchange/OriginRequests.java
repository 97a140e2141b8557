package io.gatehouse.server.exchange;

import io.gatehouse.api.Upstream;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

import java.util.Optional;

/** Builds the proxy→origin request head of one attempt from the client's head as the filters left it. */
final class OriginRequests {

    private OriginRequests() {
    }

    /**
     * Sets the attempt's {@code traceparent}, replacing what the request carried.
     *
     * @param outgoing the proxy→origin head
     * @param value the attempt's {@code traceparent}
     */
    static void traceparent(HttpRequest outgoing, String value) {
        outgoing.removeHeaders("traceparent");
        outgoing.addHeader("traceparent", value);
    }

    /**
     * @param client the client→proxy request head, hop-by-hop fields already removed
     * @param upstream the attempt's upstream
     * @param entity the client's body, null when none
     * @param filtered whether filters ran (they may have added framing or hop-by-hop fields)
     * @param originHost the {@code Host} a filter chose
     * @param preserveHost whether to keep the client's {@code Host} ({@code forwarding.preserve-host})
     * @param acceptsTrailers whether the client said it accepts trailers ({@code TE: trailers}):
     *     said again to an HTTP/2 origin (gRPC servers require it)
     * @return the head to send, in HTTP/1.1 framed by the proxy, or in HTTP/2 to an {@code h2c}
     *     or {@code h2} upstream (the host in {@code :authority}, no {@code Host} field)
     */
    static HttpRequest build(HttpRequest client, Upstream upstream, EntityDetails entity, boolean filtered,
                             Optional<String> originHost, boolean preserveHost, boolean acceptsTrailers) {
        String host = originHost.orElse(preserveHost && client.getAuthority() != null
                ? client.getAuthority().toString() : upstream.authority());
        BasicHttpRequest outgoing = new BasicHttpRequest(client.getMethod(), upstream.httpScheme(),
                new URIAuthority(upstream.host(), upstream.port()), client.getPath());
        outgoing.setHeaders(client.getHeaders());
        if (filtered) {
            ProxyHeaders.stripHopByHop(outgoing); // framing is the proxy's, whatever a filter set
        }
        if (upstream.http2()) {
            outgoing.setVersion(HttpVersion.HTTP_2);
            outgoing.removeHeaders("Host");
            outgoing.setAuthority(authority(host, upstream));
            if (acceptsTrailers) {
                outgoing.setHeader("te", "trailers");
            }
            if (entity != null && entity.getContentLength() >= 0 && !entity.isChunked()) {
                outgoing.setHeader("Content-Length", Long.toString(entity.getContentLength()));
            }
            return outgoing; // HTTP/2 frames bodies itself: no Transfer-Encoding
        }
        outgoing.setVersion(HttpVersion.HTTP_1_1);
        outgoing.setHeader("Host", host);
        if (entity != null) {
            if (entity.getContentLength() >= 0 && !entity.isChunked()) {
                outgoing.setHeader("Content-Length", Long.toString(entity.getContentLength()));
            } else {
                outgoing.setHeader("Transfer-Encoding", "chunked");
            }
        }
        return outgoing;
    }

    /** The {@code :authority} of an HTTP/2 request: the {@code Host} the origin would get over HTTP/1.1. */
    private static URIAuthority authority(String host, Upstream upstream) {
        try {
            return URIAuthority.create(host);
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return new URIAuthority(upstream.host(), upstream.port()); // a filter's odd Host: the upstream's own
        }
    }
}
