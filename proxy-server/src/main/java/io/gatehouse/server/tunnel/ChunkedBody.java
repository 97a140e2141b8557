package io.gatehouse.server.tunnel;

import org.apache.hc.core5.http.ProtocolException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Decodes a chunked body (RFC 9112 §7.1) as bytes arrive, strictly: a size line is hex digits with
 * optional extensions and CRLF, each chunk's data is followed by CRLF, and the trailer section
 * ends with an empty line (its fields are read and dropped: the decoded body is relayed with a
 * length). The decoded body is bounded; anything malformed or too large is a {@link
 * ProtocolException}. Not thread-safe.
 */
final class ChunkedBody {

    private static final int LINE_LIMIT = 8 * 1024;

    private enum Expect { SIZE, DATA, DATA_END, TRAILER, DONE }

    private final int limit;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final StringBuilder line = new StringBuilder();
    private boolean cr;
    private Expect expect = Expect.SIZE;
    private long chunkLeft;

    /** @param limit the longest decoded body accepted */
    ChunkedBody(int limit) {
        this.limit = limit;
    }

    /**
     * Takes bytes of the encoded body; bytes after its end are left in {@code src}.
     *
     * @return whether the body is complete
     * @throws ProtocolException when the coding is malformed or the body exceeds the limit
     */
    boolean feed(ByteBuffer src) throws ProtocolException {
        while (src.hasRemaining() && expect != Expect.DONE) {
            if (expect == Expect.DATA) {
                int n = (int) Math.min(chunkLeft, src.remaining());
                byte[] data = new byte[n];
                src.get(data);
                body.write(data, 0, n);
                chunkLeft -= n;
                if (chunkLeft == 0) {
                    expect = Expect.DATA_END;
                }
            } else if (readLine(src)) {
                takeLine(line.toString());
                line.setLength(0);
            }
        }
        return expect == Expect.DONE;
    }

    /** @return the decoded body (complete once {@link #feed} returned true) */
    byte[] bytes() {
        return body.toByteArray();
    }

    /** Reads up to a CRLF; a bare CR or LF is malformed. @return whether a whole line was read */
    private boolean readLine(ByteBuffer src) throws ProtocolException {
        while (src.hasRemaining()) {
            byte b = src.get();
            if (cr) {
                if (b != '\n') {
                    throw new ProtocolException("bare CR in a chunked body");
                }
                cr = false;
                return true;
            }
            if (b == '\r') {
                cr = true;
            } else if (b == '\n') {
                throw new ProtocolException("bare LF in a chunked body");
            } else if (line.length() == LINE_LIMIT) {
                throw new ProtocolException("chunk line longer than " + LINE_LIMIT + " bytes");
            } else {
                line.append((char) (b & 0xff));
            }
        }
        return false;
    }

    private void takeLine(String text) throws ProtocolException {
        switch (expect) {
            case SIZE -> {
                long size = size(text);
                if (body.size() + size > limit) {
                    throw new ProtocolException("chunked body larger than " + limit + " bytes");
                }
                chunkLeft = size;
                expect = size == 0 ? Expect.TRAILER : Expect.DATA;
            }
            case DATA_END -> {
                if (!text.isEmpty()) {
                    throw new ProtocolException("chunk data longer than its size");
                }
                expect = Expect.SIZE;
            }
            case TRAILER -> {
                if (text.isEmpty()) {
                    expect = Expect.DONE;
                } else if (text.indexOf(':') <= 0) {
                    throw new ProtocolException("invalid trailer field");
                }
            }
            default -> throw new IllegalStateException(expect.name());
        }
    }

    private static long size(String text) throws ProtocolException {
        int end = text.indexOf(';');
        String digits = (end < 0 ? text : text.substring(0, end)).stripTrailing(); // BWS before extensions
        if (digits.isEmpty() || digits.length() > 8) {
            throw new ProtocolException("invalid chunk size");
        }
        long size = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), 16);
            if (digit < 0) {
                throw new ProtocolException("invalid chunk size");
            }
            size = size * 16 + digit;
        }
        return size;
    }
}
