package io.gatehouse.server.listener;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;

import java.util.Set;

/**
 * The {@code Content-Length} of one HTTP/2 request, held to the DATA frames that follow it.
 * HTTP/2 frames a body itself; the field is the client's promise, and a request whose DATA does
 * not add up to it is malformed (RFC 9113 §8.1.1). HttpCore 5.4 does not compare the two, so this
 * does: a stream that sends one byte more than declared, or ends short, is reset with {@code
 * PROTOCOL_ERROR} before the surplus or the end reaches the exchange. The proxy can then forward
 * the length to the origin (an HTTP/1.1 origin gets a {@code Content-Length} body instead of a
 * chunked one) without ever forwarding a length the bytes do not match.
 */
final class Http2BodyLength {

    private final long declared;
    private long received;

    private Http2BodyLength(long declared) {
        this.declared = declared;
    }

    /**
     * Reads and checks the request's {@code Content-Length}.
     *
     * @param request the request head
     * @param entity the body's details, null when the HEADERS frame ended the stream
     * @return the length to hold the body to; unchecked when the field is absent
     * @throws ProtocolException (answered with 400) for a repeated or non-numeric field, or a
     *     length above zero on a request without body
     */
    static Http2BodyLength of(HttpRequest request, EntityDetails entity) throws ProtocolException {
        Header[] fields = request.getHeaders("Content-Length");
        if (fields.length == 0) {
            return new Http2BodyLength(-1);
        }
        if (fields.length > 1) {
            throw new ProtocolException("more than one Content-Length");
        }
        long declared = StrictRequestParser.contentLength(fields[0]);
        if (entity == null && declared > 0) {
            throw new ProtocolException("Content-Length " + declared + " on a request without body");
        }
        return new Http2BodyLength(declared);
    }

    /**
     * @param entity the body's details as HttpCore reports them (length unknown), or null
     * @return the same details with the declared length, when there is one
     */
    EntityDetails applyTo(EntityDetails entity) {
        if (entity == null || declared < 0) {
            return entity;
        }
        return new Declared(declared, entity);
    }

    /**
     * Counts DATA bytes before the exchange takes them.
     *
     * @param n the bytes of the next piece
     * @throws H2StreamResetException when they go past the declared length
     */
    void received(int n) throws H2StreamResetException {
        received += n;
        if (declared >= 0 && received > declared) {
            throw new H2StreamResetException(H2Error.PROTOCOL_ERROR,
                    "request body longer than its Content-Length " + declared);
        }
    }

    /** @throws H2StreamResetException when the stream ended before the declared length */
    void ended() throws H2StreamResetException {
        if (declared >= 0 && received != declared) {
            throw new H2StreamResetException(H2Error.PROTOCOL_ERROR,
                    "request body of " + received + " bytes ended before its Content-Length " + declared);
        }
    }

    /** HttpCore's details of the body with the declared length in place of "unknown". */
    private record Declared(long length, EntityDetails reported) implements EntityDetails {
        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public String getContentType() {
            return reported.getContentType();
        }

        @Override
        public String getContentEncoding() {
            return reported.getContentEncoding();
        }

        @Override
        public boolean isChunked() {
            return false;
        }

        @Override
        public Set<String> getTrailerNames() {
            return reported.getTrailerNames();
        }
    }
}
