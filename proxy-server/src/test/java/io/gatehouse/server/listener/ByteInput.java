package io.gatehouse.server.listener;

import org.apache.hc.core5.http.nio.SessionInputBuffer;
import org.apache.hc.core5.util.CharArrayBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * HttpCore's session input buffer over a byte array, for the parser's and the chunk reader's
 * tests and benchmarks: the reads they use, without a socket. Lines are read by the views under
 * test, never by this buffer.
 */
final class ByteInput implements SessionInputBuffer {

    private final ByteBuffer bytes;

    ByteInput(byte[] bytes) {
        this.bytes = ByteBuffer.wrap(bytes);
    }

    @Override
    public int length() {
        return bytes.remaining();
    }

    @Override
    public boolean hasData() {
        return bytes.hasRemaining();
    }

    @Override
    public int fill(ReadableByteChannel channel) throws IOException {
        return hasData() ? 0 : channel.read(ByteBuffer.allocate(1));
    }

    @Override
    public int read() {
        return bytes.get() & 0xff;
    }

    @Override
    public int read(ByteBuffer dst, int maxLen) {
        int n = Math.min(Math.min(maxLen, dst.remaining()), bytes.remaining());
        for (int i = 0; i < n; i++) {
            dst.put(bytes.get());
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) {
        return read(dst, dst.remaining());
    }

    @Override
    public int read(WritableByteChannel channel, int maxLen) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    @Override
    public int read(WritableByteChannel channel) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    @Override
    public boolean readLine(CharArrayBuffer dst, boolean endOfStream) {
        throw new UnsupportedOperationException("lines are read through the views under test");
    }
}
