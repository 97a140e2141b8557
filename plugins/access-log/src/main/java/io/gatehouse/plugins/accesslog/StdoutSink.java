package io.gatehouse.plugins.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Lines to the process's standard output (for containers), in UTF-8, flushed when the queue runs empty. */
final class StdoutSink implements LineSink {

    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int used;

    /** @param out the stream, normally {@code System.out} */
    StdoutSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (used + bytes.length > buffer.length) {
            flush();
        }
        if (bytes.length > buffer.length) {
            out.write(bytes);
            return;
        }
        System.arraycopy(bytes, 0, buffer, used, bytes.length);
        used += bytes.length;
    }

    @Override
    public void flush() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
        out.flush();
    }

    @Override
    public void close() {
        try {
            flush();
        } catch (IOException e) {
            used = 0; // standard output is gone: nothing to keep
        }
    }

    @Override
    public String describe() {
        return "stdout";
    }
}
