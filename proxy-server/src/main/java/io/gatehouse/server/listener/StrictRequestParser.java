package io.gatehouse.server.listener;

import io.gatehouse.server.exchange.RejectedRequest;
import io.gatehouse.server.config.Limits;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NotImplementedException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.RequestHeaderFieldsTooLargeException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.nio.DefaultHttpRequestParser;
import org.apache.hc.core5.http.message.LazyLineParser;
import org.apache.hc.core5.http.nio.NHttpMessageParser;
import org.apache.hc.core5.http.nio.SessionInputBuffer;
import org.apache.hc.core5.util.CharArrayBuffer;

import java.io.IOException;
import java.util.Locale;

/**
 * Parses client→proxy request heads strictly, so that no ambiguous request is ever forwarded.
 * Refused with 400: bare LF, bare CR, NUL, obs-fold, whitespace before the first header; a
 * request line other than three parts with single spaces ({@link HeadSyntax}); a field name that
 * is not a token, a control character (but HTAB) in a field value (checked on each byte as it is
 * read); a bad method or target, a fragment ({@link RequestTargets}); conflicting or invalid
 * framing ({@code Content-Length} with {@code Transfer-Encoding}, repeated or non-numeric {@code
 * Content-Length}, a {@code Transfer-Encoding} not ending in chunked, any {@code
 * Transfer-Encoding} on HTTP/1.0); a missing, repeated or invalid {@code Host} ({@link
 * HeadFields}). Unsupported codings get 501, an over-long request line 414, an over-large header
 * section 431, a head that takes too long to arrive 408.
 *
 * <p>Nothing after a refused head, after a request that asks to close its connection, or after
 * one on which the exchange decided to close (the connection's {@code PipelineOrder}), is read
 * as a request: the rest of the input is dropped.
 *
 * <p>One instance per connection (HttpCore creates one per duplexer); not thread-safe.
 */
final class StrictRequestParser implements NHttpMessageParser<HttpRequest> {

    private final DefaultHttpRequestParser<HttpRequest> delegate;
    private final LineGuard guard;
    private final long headDeadlineNanos;
    private boolean outOfSync;
    private SessionInputBuffer input;

    private final HeadDeadlines deadlines;

    StrictRequestParser(Limits limits, long headDeadlineNanos) {
        this(limits, headDeadlineNanos, null);
    }

    StrictRequestParser(Limits limits, long headDeadlineNanos, HeadDeadlines deadlines) {
        this.deadlines = deadlines;
        Http1Config unlimitedLines = Http1Config.custom().setMaxLineLength(0).setMaxHeaderCount(512).build();
        this.delegate = new DefaultHttpRequestParser<>(unlimitedLines, LazyLineParser.INSTANCE, RequestTargets.INSTANCE);
        this.guard = new LineGuard((int) limits.requestLine(), (int) limits.headers());
        this.headDeadlineNanos = headDeadlineNanos;
    }

    @Override
    public HttpRequest parse(SessionInputBuffer buffer, boolean endOfStream) throws IOException, HttpException {
        input = buffer;
        ClientConnection connection = ClientConnection.current();
        if (connection != null && connection.order().isClosing()) {
            // an exchange refused its request or will close after it: RFC 9112 §9.6
            outOfSync = true;
        }
        if (outOfSync) {
            // after a refused head the rest of the input is not a request: drop it, the connection closes
            while (buffer.hasData()) {
                buffer.read();
            }
            return null;
        }
        try {
            return parseHead(buffer, endOfStream);
        } catch (IOException | HttpException | RuntimeException e) {
            // HttpCore answers the refusal and closes; should it read on meanwhile (a pipelined
            // request, the end of input), nothing after the refused head is a request
            outOfSync = true;
            if (deadlines != null) {
                deadlines.headDone();
            }
            throw e;
        }
    }

    private HttpRequest parseHead(SessionInputBuffer buffer, boolean endOfStream) throws IOException, HttpException {
        guard.source = buffer;
        HttpRequest request;
        try {
            request = delegate.parse(guard, endOfStream);
        } catch (RequestHeaderFieldsTooLargeException e) {
            reset();
            if (e.getCause() instanceof RequestLineTooLong) {
                return refuse(414, "request line too long");
            }
            throw new RequestHeaderFieldsTooLargeException("request header section too large");
        } catch (ProtocolException e) {
            // HttpCore's messages quote the offending bytes: never echo client input back
            reset();
            throw new ProtocolException(guard.violation != null ? guard.violation : "malformed request head");
        } finally {
            guard.source = null;
        }
        if (guard.violation != null) {
            String violation = guard.violation;
            reset();
            throw new ProtocolException(violation);
        }
        if (request == null) {
            if (guard.headStartNanos != 0) {
                if (System.nanoTime() - guard.headStartNanos > headDeadlineNanos) {
                    reset();
                    return refuse(408, "request head not received in time");
                }
                if (deadlines != null) {
                    deadlines.headInProgress(guard.headStartNanos);
                }
            }
            return null;
        }
        if (deadlines != null) {
            deadlines.headDone();
        }
        guard.reset();
        if (request instanceof RejectedRequest) {
            // refused for its request line, answered and closed: its fields (and so any body
            // they announce) are dropped, and nothing after it is read as another request
            request.setHeaders();
            outOfSync = true;
            return request;
        }
        checkFraming(request);
        HeadFields fields = HeadFields.of(request);
        String hostProblem = fields.hostViolation();
        if (hostProblem != null) {
            // answered by the exchange, before HttpCore's own Host check could quote the value
            return refuse(400, hostProblem);
        }
        if (fields.asksToClose()) {
            // RFC 9112 §9.6: no further request on this connection is processed
            outOfSync = true;
        }
        return request;
    }

    private HttpRequest refuse(int status, String reason) {
        outOfSync = true;
        if (deadlines != null) {
            deadlines.headDone();
        }
        return new RejectedRequest(status, reason);
    }

    @Override
    public void reset() {
        delegate.reset();
        guard.reset();
    }

    /**
     * @return whether the connection is between requests: no head begun, nothing read and not
     *     yet parsed, and requests still accepted
     */
    boolean betweenRequests() {
        return !outOfSync && guard.headStartNanos == 0 && (input == null || !input.hasData());
    }

    /** @return nanoTime when the head being parsed began, 0 when no head is in progress */
    long headStartNanos() {
        return guard.headStartNanos;
    }

    /** RFC 9112 §6: exactly one way to find the end of the body. */
    static void checkFraming(HttpRequest request) throws ProtocolException, NotImplementedException {
        Header[] lengths = request.getHeaders("Content-Length");
        Header[] codings = request.getHeaders("Transfer-Encoding");
        if (codings.length > 0) {
            if (lengths.length > 0) {
                throw new ProtocolException("both Content-Length and Transfer-Encoding");
            }
            if (request.getVersion() != null && request.getVersion().lessEquals(HttpVersion.HTTP_1_0)) {
                throw new ProtocolException("Transfer-Encoding in an HTTP/1.0 request");
            }
            StringBuilder all = new StringBuilder();
            for (Header coding : codings) {
                all.append(all.length() > 0 ? "," : "").append(coding.getValue());
            }
            String[] tokens = all.toString().split(",", -1);
            String last = tokens[tokens.length - 1].trim().toLowerCase(Locale.ROOT);
            if (!last.equals("chunked")) {
                throw new ProtocolException("Transfer-Encoding must end with chunked");
            }
            for (int i = 0; i < tokens.length - 1; i++) {
                String token = tokens[i].trim().toLowerCase(Locale.ROOT);
                if (token.equals("chunked") || token.isEmpty()) {
                    throw new ProtocolException("invalid Transfer-Encoding");
                }
            }
            if (tokens.length > 1) {
                throw new NotImplementedException("unsupported transfer coding");
            }
            return;
        }
        if (lengths.length > 1) {
            throw new ProtocolException("more than one Content-Length");
        }
        if (lengths.length == 1) {
            contentLength(lengths[0]);
        }
    }

    /**
     * @param field a {@code Content-Length} field
     * @return its value: digits only (no sign, no list), at most 18 of them
     * @throws ProtocolException for any other value
     */
    static long contentLength(Header field) throws ProtocolException {
        String value = field.getValue().trim();
        if (value.isEmpty() || value.length() > 18) {
            throw new ProtocolException("invalid Content-Length");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("invalid Content-Length");
            }
        }
        return Long.parseLong(value);
    }

    /** Thrown (inside HttpCore's header-size exception) when the request line is too long. */
    static final class RequestLineTooLong extends MessageConstraintException {
        private static final long serialVersionUID = 1L;

        RequestLineTooLong() {
            super("request line too long");
        }
    }

    /**
     * Reads head lines byte by byte from HttpCore's session buffer, checking line endings and
     * sizes; violations are recorded and reported as 400 by the parser.
     */
    private static final class LineGuard extends SessionInputView {

        private final int requestLineLimit;
        private final int headersLimit;
        private final CharArrayBuffer line = new CharArrayBuffer(128);
        SessionInputBuffer source;
        String violation;
        long headStartNanos;
        private boolean requestLineDone;
        private int headerBytes;
        private boolean lastWasCr;
        private boolean inValue;

        LineGuard(int requestLineLimit, int headersLimit) {
            this.requestLineLimit = requestLineLimit;
            this.headersLimit = headersLimit;
        }

        void reset() {
            line.clear();
            violation = null;
            headStartNanos = 0;
            requestLineDone = false;
            headerBytes = 0;
            lastWasCr = false;
            inValue = false;
        }

        @Override
        public boolean readLine(CharArrayBuffer dst, boolean endOfStream) throws IOException {
            int available = source.length();
            if (available > 0 && headStartNanos == 0) {
                headStartNanos = System.nanoTime();
            }
            for (int i = 0; i < available; i++) {
                int b = source.read();
                if (requestLineDone) {
                    headerBytes++;
                    if (headerBytes > headersLimit) {
                        throw new MessageConstraintException("request header section too large");
                    }
                }
                if (b == '\n') {
                    if (!lastWasCr) {
                        record("bare LF in request head");
                    } else {
                        line.setLength(line.length() - 1);
                    }
                    lastWasCr = false;
                    return emit(dst);
                }
                if (lastWasCr) {
                    record("bare CR in request head");
                }
                if (b == 0) {
                    record("NUL in request head");
                }
                if (requestLineDone && b != '\r') {
                    checkFieldByte(b); // CR: only as the end of a line, see above
                }
                lastWasCr = b == '\r';
                line.append((char) b);
                if (!requestLineDone && line.length() > requestLineLimit + 1) {
                    throw new RequestLineTooLong();
                }
            }
            if (endOfStream && line.length() > 0) {
                record("incomplete request head");
                return emit(dst);
            }
            return false;
        }

        private boolean emit(CharArrayBuffer dst) throws RequestLineTooLong {
            if (!requestLineDone) {
                if (line.length() == 0) {
                    return true; // empty lines before the request line are ignored (RFC 9112 §2.2)
                }
                if (line.length() > requestLineLimit) {
                    line.clear();
                    throw new RequestLineTooLong();
                }
                requestLineDone = true;
                record(HeadSyntax.requestLineViolation(line));
            } else if (line.length() > 0 && !inValue) {
                record("header line without a colon");
            }
            inValue = false;
            dst.append(line);
            line.clear();
            return true;
        }

        /**
         * RFC 9110 §5.1 and §5.5, RFC 9112 §5.1 and §5.2, on the byte just read of a header line:
         * the name a token up to the colon, no whitespace before the line or the colon, no
         * control character but HTAB in the value (bytes 0x80–0xFF pass as obs-text).
         */
        private void checkFieldByte(int b) {
            if (inValue) {
                if ((b < 0x20 && b != '\t') || b == 0x7f) {
                    record("control character in a header value");
                }
            } else if (b == ':') {
                if (line.length() == 0) {
                    record("empty header name");
                }
                inValue = true;
            } else if (!HeadSyntax.isTchar((char) b)) {
                record(line.length() == 0 && (b == ' ' || b == '\t') ? "obs-fold or whitespace at the start of a header line"
                        : "invalid character in a header name");
            }
        }

        private void record(String problem) {
            if (violation == null && problem != null) {
                violation = problem;
            }
        }

        @Override
        SessionInputBuffer source() {
            return source;
        }
    }
}
