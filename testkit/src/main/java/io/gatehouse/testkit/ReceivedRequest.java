package io.gatehouse.testkit;

import io.gatehouse.api.HttpFields;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as a {@link TestOrigin} received it: the head exactly as sent, and the body
 * decoded from its framing (up to {@link #RECORDED_BODY_LIMIT} bytes are kept). Immutable.
 *
 * @since 0.2
 */
public final class ReceivedRequest {

    /** The most body bytes kept per request; longer bodies are counted ({@link #bodyLength()}) but not kept. */
    public static final int RECORDED_BODY_LIMIT = 4 * 1024 * 1024;

    private final int number;
    private final int connection;
    private final String head;
    private final String method;
    private final String target;
    private final String protocol;
    private final HttpFields headers;
    private final byte[] body;
    private final long bodyLength;
    private final HttpFields trailers;

    ReceivedRequest(int number, int connection, RequestHeadText head, byte[] body, long bodyLength, HttpFields trailers) {
        this.number = number;
        this.connection = connection;
        this.head = head.text();
        this.method = head.method();
        this.target = head.target();
        this.protocol = head.protocol();
        this.headers = head.fields();
        this.body = body;
        this.bodyLength = bodyLength;
        this.trailers = Objects.requireNonNull(trailers, "trailers");
    }

    /** @return the order of arrival at the origin, from 1 */
    public int number() {
        return number;
    }

    /** @return the connection it came on, numbered in the order the origin accepted them, from 1 */
    public int connection() {
        return connection;
    }

    /** @return the request line and header fields as received (ISO-8859-1), ending with the empty line */
    public String head() {
        return head;
    }

    /** @return the method, e.g. {@code GET} */
    public String method() {
        return method;
    }

    /** @return the request target as received, e.g. {@code /a/b?c=d} */
    public String target() {
        return target;
    }

    /** @return the path part of the target, without the query */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return the query part of the target without {@code ?}, or empty */
    public Optional<String> query() {
        int q = target.indexOf('?');
        return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
    }

    /** @return the protocol version, e.g. {@code HTTP/1.1} */
    public String protocol() {
        return protocol;
    }

    /** @return the header fields in the order received (names compare case-insensitively) */
    public HttpFields headers() {
        return headers;
    }

    /**
     * @param name a field name, any case
     * @return its first value, or empty
     */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** @return the body (its first {@link #RECORDED_BODY_LIMIT} bytes), a copy; empty when none */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body decoded as UTF-8 */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the length of the whole body, also past what was kept; 0 when none or not read (raw replies) */
    public long bodyLength() {
        return bodyLength;
    }

    /** @return the trailer fields of a chunked body, empty when none */
    public HttpFields trailers() {
        return trailers;
    }

    @Override
    public String toString() {
        return "ReceivedRequest[#" + number + " " + method + " " + target + " " + protocol + ", " + headers.size()
                + " fields, body " + bodyLength + " bytes]";
    }
}
