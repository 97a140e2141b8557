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
     * @return the head to send, in HTTP/1.1, framed by the proxy
     */
    static HttpRequest build(HttpRequest client, Upstream upstream, EntityDetails entity, boolean filtered,
                             Optional<String> originHost, boolean preserveHost) {
        BasicHttpRequest outgoing = new BasicHttpRequest(client.getMethod(), upstream.scheme(),
                new URIAuthority(upstream.host(), upstream.port()), client.getPath());
        outgoing.setVersion(HttpVersion.HTTP_1_1);
        outgoing.setHeaders(client.getHeaders());
        if (filtered) {
            ProxyHeaders.stripHopByHop(outgoing); // framing is the proxy's, whatever a filter set
        }
        String host = originHost.orElse(preserveHost && client.getAuthority() != null
                ? client.getAuthority().toString() : upstream.authority());
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
}
