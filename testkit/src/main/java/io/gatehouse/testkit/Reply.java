package io.gatehouse.testkit;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * How a {@link TestOrigin} answers a request: status, header fields, body, timing, and the ways
 * an origin can fail. Immutable: every method returns a new reply.
 *
 * <pre>{@code
 * origin.answer("/slow", Reply.ok("late").delay(Duration.ofMillis(200)));
 * origin.answer("/held", Reply.ok("released").holdUntil(latch));
 * origin.answer("/broken", Reply.ok("x".repeat(1000)).breakOffAfter(100));
 * origin.answer("/gone", Reply.drop());
 * origin.answer("/odd", Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"));
 * }</pre>
 *
 * <p>The origin frames the body itself ({@code Content-Length}, or chunked when asked or when
 * trailers are given) unless the reply sets {@code Content-Length} or {@code Transfer-Encoding}
 * itself, in which case the body is written exactly as given, whatever the fields claim. A
 * response to {@code HEAD}, and any 1xx, 204 or 304, carries no body.
 *
 * @since 0.2
 */
public final class Reply {

    /** What happens to the connection, besides sending the response. */
    enum Ending { KEEP_ALIVE, CLOSE, DROP, RESET }

    private static final byte[] NO_BYTES = new byte[0];

    private final int status;
    private final HttpFields headers;
    private final long bodyLength;
    private final Supplier<InputStream> body;
    private final boolean chunked;
    private final HttpFields trailers;
    private final Duration delay;
    private final Optional<CountDownLatch> hold;
    private final long breakOffAfter;
    private final Ending ending;
    private final Optional<RawReply> raw;

    private Reply(int status, HttpFields headers, long bodyLength, Supplier<InputStream> body, boolean chunked, HttpFields trailers,
                  Duration delay, Optional<CountDownLatch> hold, long breakOffAfter, Ending ending, Optional<RawReply> raw) {
        this.status = status;
        this.headers = headers;
        this.bodyLength = bodyLength;
        this.body = body;
        this.chunked = chunked;
        this.trailers = trailers;
        this.delay = delay;
        this.hold = hold;
        this.breakOffAfter = breakOffAfter;
        this.ending = ending;
        this.raw = raw;
    }

    private static Reply of(int status) {
        return new Reply(status, HttpFields.empty(), 0, () -> InputStream.nullInputStream(), false, HttpFields.empty(),
                Duration.ZERO, Optional.empty(), -1, Ending.KEEP_ALIVE, Optional.empty());
    }

    /**
     * A response with no body.
     *
     * @param status 100 to 999
     * @return the reply
     */
    public static Reply status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be 100 to 999: " + status);
        }
        return of(status);
    }

    /**
     * {@code 200} with a UTF-8 text body ({@code Content-Type: text/plain; charset=utf-8}).
     *
     * @param text the body
     * @return the reply
     */
    public static Reply ok(String text) {
        return text(200, text);
    }

    /**
     * A response with a UTF-8 text body ({@code Content-Type: text/plain; charset=utf-8}).
     *
     * @param status 100 to 999
     * @param text the body
     * @return the reply
     */
    public static Reply text(int status, String text) {
        return status(status).header("Content-Type", "text/plain; charset=utf-8").body(text);
    }

    /**
     * Bytes written to the connection exactly as given (ISO-8859-1), after the request body was
     * read; then the connection is closed. For responses no well-behaved origin sends.
     *
     * @param bytes the whole answer, e.g. {@code "HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n"}
     * @return the reply
     */
    public static Reply raw(String bytes) {
        byte[] data = bytes.getBytes(StandardCharsets.ISO_8859_1);
        return raw(exchange -> {
            exchange.body().transferTo(java.io.OutputStream.nullOutputStream());
            exchange.output().write(data);
        });
    }

    /**
     * Hands the connection to {@code handler} right after the request head: the body is not
     * read unless the handler reads it. The connection is closed when the handler returns or
     * throws. The request is recorded with its head only.
     *
     * @param handler what to do with the connection
     * @return the reply
     */
    public static Reply raw(RawReply handler) {
        Objects.requireNonNull(handler, "handler");
        return new Reply(0, HttpFields.empty(), 0, () -> InputStream.nullInputStream(), false, HttpFields.empty(),
                Duration.ZERO, Optional.empty(), -1, Ending.CLOSE, Optional.of(handler));
    }

    /** @return a reply that reads the request, then closes the connection without answering */
    public static Reply drop() {
        return of(0).ending(Ending.DROP);
    }

    /** @return a reply that reads the request, then resets the connection (TCP RST) without answering */
    public static Reply reset() {
        return of(0).ending(Ending.RESET);
    }

    private Reply ending(Ending next) {
        return new Reply(status, headers, bodyLength, body, chunked, trailers, delay, hold, breakOffAfter, next, raw);
    }

    /**
     * @param name a field name
     * @param value its value (added after those already given)
     * @return a reply with the field added
     */
    public Reply header(String name, String value) {
        MutableHttpFields fields = copy(headers);
        fields.add(name, value);
        return new Reply(status, fields.toImmutable(), bodyLength, body, chunked, trailers, delay, hold, breakOffAfter, ending, raw);
    }

    /**
     * @param text the body, UTF-8 (header fields unchanged)
     * @return a reply with that body
     */
    public Reply body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param bytes the body (copied; header fields unchanged)
     * @return a reply with that body
     */
    public Reply body(byte[] bytes) {
        byte[] copy = bytes.length == 0 ? NO_BYTES : bytes.clone();
        return body(copy.length, () -> new ByteArrayInputStream(copy));
    }

    /**
     * A body streamed from a source opened once per response, for bodies too large to hold.
     *
     * @param length the body's length in bytes
     * @param source opens the body, which must have exactly {@code length} bytes
     * @return a reply with that body
     */
    public Reply body(long length, Supplier<InputStream> source) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        Objects.requireNonNull(source, "source");
        return new Reply(status, headers, length, source, chunked, trailers, delay, hold, breakOffAfter, ending, raw);
    }

    /** @return a reply whose body is sent with chunked transfer coding */
    public Reply chunked() {
        return new Reply(status, headers, bodyLength, body, true, trailers, delay, hold, breakOffAfter, ending, raw);
    }

    /**
     * @param name a trailer field name
     * @param value its value
     * @return a chunked reply with the trailer field added
     */
    public Reply trailer(String name, String value) {
        MutableHttpFields fields = copy(trailers);
        fields.add(name, value);
        return new Reply(status, headers, bodyLength, body, true, fields.toImmutable(), delay, hold, breakOffAfter, ending, raw);
    }

    /**
     * @param wait how long the origin takes before answering (cut short when the origin closes)
     * @return a slower reply
     */
    public Reply delay(Duration wait) {
        if (wait.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + wait);
        }
        return new Reply(status, headers, bodyLength, body, chunked, trailers, wait, hold, breakOffAfter, ending, raw);
    }

    /**
     * Holds the answer until {@code latch} is counted down (or the origin is closed). The request
     * is recorded before the hold, so a test can wait for it to arrive, then release it.
     *
     * @param latch released by the test
     * @return a held reply
     */
    public Reply holdUntil(CountDownLatch latch) {
        Objects.requireNonNull(latch, "latch");
        return new Reply(status, headers, bodyLength, body, chunked, trailers, delay, Optional.of(latch), breakOffAfter, ending, raw);
    }

    /**
     * Sends the head and only the first {@code bodyBytes} bytes of the body, then closes the
     * connection: a response broken off mid-body.
     *
     * @param bodyBytes how much of the body is sent
     * @return a broken reply
     */
    public Reply breakOffAfter(long bodyBytes) {
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("bodyBytes must not be negative: " + bodyBytes);
        }
        return new Reply(status, headers, bodyLength, body, chunked, trailers, delay, hold, bodyBytes, Ending.CLOSE, raw);
    }

    /** @return a reply that says {@code Connection: close} and closes the connection after the response */
    public Reply closeConnection() {
        return header("Connection", "close").ending(Ending.CLOSE);
    }

    private static MutableHttpFields copy(HttpFields fields) {
        MutableHttpFields copy = MutableHttpFields.create();
        fields.forEach(copy::add);
        return copy;
    }

    int statusCode() {
        return status;
    }

    HttpFields headers() {
        return headers;
    }

    long bodyLength() {
        return bodyLength;
    }

    InputStream openBody() {
        return body.get();
    }

    boolean isChunked() {
        return chunked;
    }

    HttpFields trailers() {
        return trailers;
    }

    Duration delay() {
        return delay;
    }

    Optional<CountDownLatch> hold() {
        return hold;
    }

    /** @return body bytes sent before breaking off, negative for the whole body */
    long breakOff() {
        return breakOffAfter;
    }

    Ending ending() {
        return ending;
    }

    Optional<RawReply> rawHandler() {
        return raw;
    }

    @Override
    public String toString() {
        if (raw.isPresent()) {
            return "Reply[raw]";
        }
        if (ending == Ending.DROP || ending == Ending.RESET) {
            return "Reply[" + ending.name().toLowerCase(java.util.Locale.ROOT) + "]";
        }
        return "Reply[" + status + ", " + headers + ", body " + bodyLength + " bytes" + (chunked ? ", chunked" : "")
                + (delay.isZero() ? "" : ", delay " + delay) + (hold.isPresent() ? ", held" : "")
                + (breakOffAfter >= 0 ? ", broken off after " + breakOffAfter : "") + "]";
    }
}
