package io.gatehouse.server.exchange;

import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.Response;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;

/**
 * The proxy→client response head of one exchange: framing for the client's protocol
 * ({@code Content-Length}, chunked for HTTP/1.1, close-delimited for HTTP/1.0), {@code Date},
 * the request id, the length of a HEAD response, and whether the connection closes after this response. Heads
 * the proxy makes itself are built here too. Guarded by the exchange's lock.
 */
final class ResponseHeads {

    private static final HttpDates DATES = new HttpDates();

    private final boolean filtered;
    private final boolean headRequest;
    private final boolean http10Client;
    private final Runnable onClosing;
    private boolean closing;
    private String headLength;
    private String requestIdHeader;
    private String requestId;

    /**
     * @param clientRequest the client→proxy request head
     * @param filtered whether filters run (they may have set framing or hop-by-hop fields)
     * @param onClosing told when the connection is to close after this response
     */
    ResponseHeads(HttpRequest clientRequest, boolean filtered, Runnable onClosing) {
        this.filtered = filtered;
        this.onClosing = onClosing;
        this.headRequest = Method.HEAD.isSame(clientRequest.getMethod());
        this.http10Client = clientRequest.getVersion() != null && clientRequest.getVersion().lessEquals(HttpVersion.HTTP_1_0);
    }

    /**
     * Every head sent to the client carries the exchange's request id, replacing any the origin sent.
     *
     * @param header the request-id field
     * @param id the exchange's request id
     */
    void requestId(String header, String id) {
        requestIdHeader = header;
        requestId = id;
    }

    /** The connection closes after this response. */
    void closeAfterResponse() {
        closing = true;
        onClosing.run();
    }

    /** @return whether the connection closes after this response */
    boolean closing() {
        return closing;
    }

    /** @return whether the client asked with HEAD (no body goes out) */
    boolean headRequest() {
        return headRequest;
    }

    /** @param length the origin's {@code Content-Length} of a response to HEAD, kept for the client */
    void originHeadLength(String length) {
        headLength = length;
    }

    /**
     * @param response a response the proxy or a filter made
     * @return its head, without hop-by-hop fields, closing when the connection closes
     */
    BasicHttpResponse local(Response response) {
        BasicHttpResponse head = new BasicHttpResponse(response.status());
        MutableHttpFields fields = new MessageFields(head);
        response.headers().forEach(fields::add);
        ProxyHeaders.stripHopByHop(head);
        connection(head, closing);
        return head;
    }

    /**
     * Frames a head that a body may follow.
     *
     * @param response the head as the filters left it
     * @param entity the body's details, null when there is none
     * @param unreadRequestBody whether the client is still sending a body nobody reads
     * @return the details of the body that goes out with the head, null when none does
     */
    /**
     * A body transformer changes the body: its length is unknown (the proxy frames it), a strong
     * validator no longer holds for it (RFC 9110 §8.8.1: a weak one may), nor does a digest of the
     * old bytes.
     *
     * @param response the head
     */
    static void describeTransformedBody(HttpResponse response) {
        response.removeHeaders("Content-Length");
        response.removeHeaders("Content-MD5");
        org.apache.hc.core5.http.Header etag = response.getFirstHeader("ETag");
        if (etag != null && !etag.getValue().startsWith("W/")) {
            response.setHeader("ETag", "W/" + etag.getValue());
        }
    }

    EntityDetails frame(HttpResponse response, EntityDetails entity, boolean unreadRequestBody) {
        if (filtered) {
            ProxyHeaders.stripHopByHop(response); // framing is the proxy's, whatever a filter set
            if (headLength != null) {
                response.setHeader("Content-Length", headLength);
            }
        }
        addDateAndRequestId(response);
        EntityDetails outgoing = null;
        if (entity != null) {
            long length = entity.getContentLength();
            if (length >= 0 && !entity.isChunked()) {
                response.setHeader("Content-Length", Long.toString(length));
            } else if (http10Client) {
                closeAfterResponse(); // the end of the body is the end of the connection
            } else {
                response.setHeader("Transfer-Encoding", "chunked");
            }
            outgoing = headRequest ? null : new BasicEntityDetails(length, null);
        }
        connection(response, closing || unreadRequestBody);
        return outgoing;
    }

    /**
     * Frames a head the proxy sends without a body.
     *
     * @param head the head
     * @param bodyLength the length of the body a GET would have had, for {@code Content-Length};
     *     negative when the status allows no body (204, 304)
     */
    void frameWithoutBody(HttpResponse head, long bodyLength) {
        if (filtered) {
            ProxyHeaders.stripHopByHop(head);
            if (bodyLength >= 0) {
                head.setHeader("Content-Length", Long.toString(bodyLength));
            }
        }
        addDateAndRequestId(head);
        connection(head, closing);
    }

    /**
     * {@code close}, or {@code keep-alive} to an HTTP/1.0 client that asked for it (else HttpCore,
     * which reads the request after its hop-by-hop fields were removed, would close).
     */
    private void connection(HttpResponse head, boolean close) {
        if (close) {
            head.setHeader("Connection", "close");
        } else if (http10Client) {
            head.setHeader("Connection", "keep-alive");
        }
    }

    private void addDateAndRequestId(HttpResponse response) {
        if (requestId != null) {
            response.setHeader(requestIdHeader, requestId);
        }
        if (response.getFirstHeader("Date") == null) {
            response.addHeader(DATES.format());
        }
    }
}
