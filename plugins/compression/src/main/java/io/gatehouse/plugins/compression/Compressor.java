package io.gatehouse.plugins.compression;

import io.gatehouse.api.BodyTransformer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Encodes one body as it streams: each chunk goes into the coding's encoder, and whatever the
 * encoder has produced so far is emitted at once (it keeps only its window), so memory stays
 * bounded whatever the body's size.
 */
final class Compressor implements BodyTransformer {

    /** The encoder's output, emitted and reset after every chunk. */
    private static final class Emitted extends ByteArrayOutputStream {
        Emitted() {
            super(16 * 1024);
        }

        void emitTo(Output out) {
            if (count > 0) {
                out.write(ByteBuffer.wrap(buf, 0, count));
                reset();
            }
        }
    }

    private final Emitted emitted = new Emitted();
    private final byte[] scratch = new byte[16 * 1024];
    private final OutputStream encoder;
    private boolean closed;

    Compressor(Coding coding, int level) {
        try {
            this.encoder = coding.encoder(emitted, level);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + coding.token() + " encoder", e);
        }
    }

    @Override
    public void onData(ByteBuffer data, Output out) {
        try {
            while (data.hasRemaining()) {
                int n = Math.min(scratch.length, data.remaining());
                data.get(scratch, 0, n);
                encoder.write(scratch, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        emitted.emitTo(out);
    }

    @Override
    public void onEnd(Output out) {
        close();
        emitted.emitTo(out);
    }

    @Override
    public void onAbort(Throwable cause) {
        try {
            close();
        } catch (UncheckedIOException e) {
            // the body is gone anyway: only the encoder's native memory mattered
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            encoder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
