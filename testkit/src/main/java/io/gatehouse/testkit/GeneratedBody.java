package io.gatehouse.testkit;

import java.io.InputStream;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * A large body made up as it is read, so that neither the origin nor the test holds it: each
 * byte is a function of its position, which the receiving side checks as it reads.
 *
 * <pre>{@code
 * GeneratedBody big = GeneratedBody.of(64L << 20, position -> (byte) (position % 251));
 * origin = TestOrigin.start(Reply.status(200).body(big.length(), big::stream));
 * }</pre>
 *
 * @param length the body's length in bytes
 * @param byteAt the byte at each position
 * @since 0.2
 */
public record GeneratedBody(long length, LongFunction<Byte> byteAt) {

    /**
     * Checks the arguments.
     *
     * @param length the body's length in bytes, not negative
     * @param byteAt the byte at each position
     */
    public GeneratedBody {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        Objects.requireNonNull(byteAt, "byteAt");
    }

    /**
     * @param length the body's length in bytes
     * @param byteAt the byte at each position
     * @return the body
     */
    public static GeneratedBody of(long length, LongFunction<Byte> byteAt) {
        return new GeneratedBody(length, byteAt);
    }

    /**
     * @param position a position within the body
     * @return the byte there
     */
    public byte at(long position) {
        return byteAt.apply(position);
    }

    /** @return a new stream of the whole body, from its first byte */
    public InputStream stream() {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < length ? at(position++) & 0xFF : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(count, length - position);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = at(position++);
                }
                return n;
            }
        };
    }
}
