package io.gatehouse.server.exchange;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BodyBufferTest {

    /** A receiver that takes at most {@code perWrite} bytes per write, as a busy socket or a window does. */
    private static final class Slow implements DataStreamChannel {
        private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        private int perWrite;

        Slow(int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public void requestOutput() {
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(perWrite, src.remaining());
            for (int i = 0; i < n; i++) {
                taken.write(src.get());
            }
            return n;
        }

        @Override
        public void endStream(List<? extends Header> trailers) {
        }

        @Override
        public void endStream() {
        }
    }

    private static ByteBuffer bytes(int from, int count) {
        ByteBuffer data = ByteBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            data.put((byte) (from + i));
        }
        return data.flip();
    }

    @Test
    void partialWritesKeepTheOrderAcrossAppendsCompactionAndGrowth() throws Exception {
        BodyBuffer buffer = new BodyBuffer(4096, 4096);
        Slow receiver = new Slow(700);
        int appended = 0;
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int round = 0; round < 20; round++) {
            int count = 300 + round * 97;
            ByteBuffer chunk = bytes(appended, count);
            expected.write(chunk.array(), 0, count);
            buffer.append(chunk);
            appended += count;
            assertThat(buffer.view().remaining()).isEqualTo(buffer.length());
            buffer.writeTo(receiver);
        }
        receiver.perWrite = Integer.MAX_VALUE;
        buffer.writeTo(receiver);

        assertThat(buffer.length()).isZero();
        assertThat(receiver.taken.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void theViewShowsExactlyTheHeldBytesAfterAPartialWrite() throws Exception {
        BodyBuffer buffer = new BodyBuffer(4096, 4096);
        buffer.append(bytes(0, 1000));
        buffer.writeTo(new Slow(400));

        ByteBuffer view = buffer.view();
        assertThat(buffer.length()).isEqualTo(600);
        assertThat(view.remaining()).isEqualTo(600);
        assertThat(view.get(view.position())).isEqualTo((byte) 400);
    }

    @Test
    void aDeclaredLengthSizesTheFirstAllocationUpToTheHighWaterMark() {
        BodyBuffer unknown = new BodyBuffer(64 * 1024, 64 * 1024);
        unknown.append(bytes(0, 16 * 1024));
        assertThat(unknown.capacity()).as("grown from the first read").isEqualTo(16 * 1024);

        BodyBuffer declared = new BodyBuffer(64 * 1024, 64 * 1024);
        declared.expect(64 * 1024);
        declared.append(bytes(0, 16 * 1024));
        declared.append(bytes(0, 48 * 1024));
        assertThat(declared.capacity()).as("allocated once for the whole body").isEqualTo(64 * 1024);

        BodyBuffer large = new BodyBuffer(64 * 1024, 64 * 1024);
        large.expect(10L * 1024 * 1024);
        large.append(bytes(0, 100));
        assertThat(large.capacity()).as("never beyond the high-water mark").isEqualTo(64 * 1024);

        BodyBuffer small = new BodyBuffer(64 * 1024, 64 * 1024);
        small.expect(10);
        small.append(bytes(0, 10));
        assertThat(small.capacity()).isEqualTo(1024);
    }
}
