package io.gatehouse.server.listener;

import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.apache.hc.core5.http.nio.SessionInputBuffer;
import org.apache.hc.core5.util.CharArrayBuffer;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * The lines of a chunked request body, as HttpCore's chunk decoder reads them, checked strictly
 * (RFC 9112 §7.1): every line ends in CRLF, with no bare CR; a chunk-size line is hex digits and
 * well-formed extensions, nothing else; a chunk's data is followed by an empty line; a trailer
 * line is a valid field line (a token name, no control characters in the value, no obs-fold)
 * and not one of the fields that frame or route a message (RFC 9110 §6.5.1); the body ends with
 * its empty line, not with the connection. Anything else fails the body as malformed ({@link
 * MalformedBodyGuard} answers 400), or as cut short when the input ends.
 *
 * <p>HttpCore's own reader accepts a bare LF, leading and trailing whitespace and a sign around
 * the size, any bytes in extensions and trailers, and a body whose trailer section the
 * connection's end cut off: leniencies another parser in front of or behind the proxy may read
 * differently. Bytes of chunk data pass through untouched.
 *
 * <p>One per chunked request; not thread-safe.
 */
final class StrictChunkLines extends SessionInputView {

    private static final Set<String> NOT_IN_TRAILERS = Set.of("content-length", "transfer-encoding", "host");

    private enum Expect { SIZE, DATA_END, TRAILER, DONE }

    private final SessionInputBuffer source;
    private final int maxLine;
    private final CharArrayBuffer line = new CharArrayBuffer(64);
    private Expect expect = Expect.SIZE;
    private boolean lastWasCr;

    /**
     * @param source HttpCore's session buffer
     * @param maxLine the longest line accepted
     */
    StrictChunkLines(SessionInputBuffer source, int maxLine) {
        this.source = source;
        this.maxLine = maxLine;
    }

    @Override
    public boolean readLine(CharArrayBuffer dst, boolean endOfStream) throws IOException {
        int available = source.length();
        for (int i = 0; i < available; i++) {
            int b = source.read();
            if (b == '\n') {
                if (!lastWasCr) {
                    throw new MalformedChunkCodingException("bare LF in a chunked body");
                }
                lastWasCr = false;
                line.setLength(line.length() - 1);
                check();
                dst.append(line);
                line.clear();
                return true;
            }
            if (lastWasCr) {
                throw new MalformedChunkCodingException("bare CR in a chunked body");
            }
            lastWasCr = b == '\r';
            line.append((char) b);
            if (line.length() > maxLine) {
                throw new MalformedChunkCodingException("chunked body line too long");
            }
        }
        if (endOfStream) {
            throw new TruncatedChunkException("chunked body cut short");
        }
        return false;
    }

    private void check() throws MalformedChunkCodingException {
        switch (expect) {
            case SIZE:
                long size = chunkSize();
                expect = size == 0 ? Expect.TRAILER : Expect.DATA_END;
                break;
            case DATA_END:
                if (line.length() != 0) {
                    throw new MalformedChunkCodingException("chunk data not followed by CRLF");
                }
                expect = Expect.SIZE;
                break;
            case TRAILER:
                if (line.length() == 0) {
                    expect = Expect.DONE;
                } else {
                    checkTrailer();
                }
                break;
            default:
                throw new MalformedChunkCodingException("bytes after the end of a chunked body");
        }
    }

    /** {@code chunk-size [ chunk-ext ]}, the size in at most 15 hex digits. */
    private long chunkSize() throws MalformedChunkCodingException {
        int at = 0;
        long size = 0;
        while (at < line.length() && Character.digit(line.charAt(at), 16) >= 0) {
            size = size * 16 + Character.digit(line.charAt(at), 16);
            at++;
            if (at > 15) {
                throw new MalformedChunkCodingException("chunk size too large");
            }
        }
        if (at == 0) {
            throw new MalformedChunkCodingException("invalid chunk size");
        }
        checkExtensions(at);
        return size;
    }

    /** {@code chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )}. */
    private void checkExtensions(int from) throws MalformedChunkCodingException {
        int at = from;
        while (true) {
            int next = skipWhitespace(at);
            if (next == line.length()) {
                if (next != at) {
                    throw new MalformedChunkCodingException("whitespace at the end of a chunk-size line");
                }
                return;
            }
            if (line.charAt(next) != ';') {
                throw new MalformedChunkCodingException("invalid chunk size");
            }
            at = token(skipWhitespace(next + 1));
            int afterName = skipWhitespace(at);
            if (afterName < line.length() && line.charAt(afterName) == '=') {
                int value = skipWhitespace(afterName + 1);
                at = value < line.length() && line.charAt(value) == '"' ? quotedString(value) : token(value);
            }
        }
    }

    /** @return the index after a token starting at {@code from} */
    private int token(int from) throws MalformedChunkCodingException {
        int at = from;
        while (at < line.length() && HeadSyntax.isTchar(line.charAt(at))) {
            at++;
        }
        if (at == from) {
            throw new MalformedChunkCodingException("invalid chunk extension");
        }
        return at;
    }

    /** @return the index after a quoted-string starting at {@code from} (RFC 9110 §5.6.4) */
    private int quotedString(int from) throws MalformedChunkCodingException {
        for (int at = from + 1; at < line.length(); at++) {
            char c = line.charAt(at);
            if (c == '"') {
                return at + 1;
            }
            if (c == '\\') {
                at++;
                if (at == line.length() || HeadSyntax.isForbiddenInValue(line.charAt(at))) {
                    break;
                }
            } else if (HeadSyntax.isForbiddenInValue(c)) {
                break;
            }
        }
        throw new MalformedChunkCodingException("invalid chunk extension");
    }

    private int skipWhitespace(int from) {
        int at = from;
        while (at < line.length() && isWhitespace(line.charAt(at))) {
            at++;
        }
        return at;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private void checkTrailer() throws MalformedChunkCodingException {
        if (isWhitespace(line.charAt(0)) || HeadSyntax.fieldLineViolation(line) != null) {
            throw new MalformedChunkCodingException("invalid trailer field");
        }
        String name = line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT);
        if (NOT_IN_TRAILERS.contains(name)) {
            throw new MalformedChunkCodingException("framing or routing field in trailers");
        }
    }

    @Override
    SessionInputBuffer source() {
        return source;
    }
}
