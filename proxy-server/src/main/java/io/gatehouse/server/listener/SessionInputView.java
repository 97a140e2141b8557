package io.gatehouse.server.listener;

import org.apache.hc.core5.http.nio.SessionInputBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A view on HttpCore's session input buffer that checks the lines HttpCore reads through it
 * ({@code readLine}, in the subclass) and passes every other read straight to the buffer.
 */
abstract class SessionInputView implements SessionInputBuffer {

    /** @return the buffer being read */
    abstract SessionInputBuffer source();

    @Override
    public int length() {
        return source().length();
    }

    @Override
    public boolean hasData() {
        return source().hasData();
    }

    @Override
    public int fill(ReadableByteChannel channel) throws IOException {
        return source().fill(channel);
    }

    @Override
    public int read() {
        return source().read();
    }

    @Override
    public int read(ByteBuffer dst, int maxLen) {
        return source().read(dst, maxLen);
    }

    @Override
    public int read(ByteBuffer dst) {
        return source().read(dst);
    }

    @Override
    public int read(WritableByteChannel channel, int maxLen) throws IOException {
        return source().read(channel, maxLen);
    }

    @Override
    public int read(WritableByteChannel channel) throws IOException {
        return source().read(channel);
    }
}
