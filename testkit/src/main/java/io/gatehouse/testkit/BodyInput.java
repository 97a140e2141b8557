package io.gatehouse.testkit;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read from the connection according to its framing: a Content-Length body, a
 * chunked body (its trailers kept), or none. Reading stops at the body's end; the connection
 * stays positioned at the next request.
 */
final class BodyInput extends InputStream {

    private final InputStream in;
    private final boolean chunked;
    private long remaining;
    private boolean ended;
    private HttpFields trailers = HttpFields.empty();

    private BodyInput(InputStream in, boolean chunked, long length) {
        this.in = in;
        this.chunked = chunked;
        this.remaining = length;
        this.ended = !chunked && length == 0;
    }

    /**
     * @param head the request head
     * @param in the connection, positioned after the head
     * @return the body of that request
     * @throws IOException when its framing is unusable
     */
    static BodyInput of(RequestHeadText head, InputStream in) throws IOException {
        if (head.chunked()) {
            return new BodyInput(in, true, 0);
        }
        return new BodyInput(in, false, head.contentLength().orElse(0));
    }

    /** @return an empty body */
    static BodyInput empty() {
        return new BodyInput(InputStream.nullInputStream(), false, 0);
    }

    /** @return the trailers, once the body has been read to its end */
    HttpFields trailers() {
        return trailers;
    }

    /**
     * Reads the whole body, keeping up to {@code limit} bytes.
     *
     * @param limit the most bytes kept
     * @param kept receives the kept bytes
     * @return the body's whole length
     * @throws IOException when the connection fails or ends early
     */
    long readAll(int limit, ByteArrayOutputStream kept) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = read(buffer, 0, buffer.length)) >= 0) {
            int keep = (int) Math.max(0, Math.min(n, limit - total));
            kept.write(buffer, 0, keep);
            total += n;
        }
        return total;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        if (remaining == 0) {
            // chunked: the next chunk (a Content-Length body has ended once remaining is 0)
            remaining = nextChunkSize();
            if (remaining == 0) {
                trailers = readTrailers();
                ended = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("connection closed inside a request body");
        }
        remaining -= n;
        if (remaining == 0) {
            if (chunked) {
                expectCrlf();
            } else {
                ended = true;
            }
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = readLine();
        int semicolon = line.indexOf(';');
        String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        try {
            return Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + line, e);
        }
    }

    private HttpFields readTrailers() throws IOException {
        MutableHttpFields fields = MutableHttpFields.create();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.add(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields.toImmutable();
    }

    private void expectCrlf() throws IOException {
        if (!readLine().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            line.append((char) b);
            if (line.length() > 64 * 1024) {
                throw new IOException("line too long in a chunked body");
            }
        }
        throw new IOException("connection closed inside a chunked body");
    }
}
