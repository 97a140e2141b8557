package io.gatehouse.server.tunnel;

import org.apache.hc.core5.reactor.IOSession;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The back-pressure of one tunnel direction, against sessions that record their event changes. */
class DirectionTest {

    private static final int CAP = 1024;

    /** A session whose socket always has {@code readable} bytes (or its end) and takes at most {@code writable} per write. */
    private static final class FakeSession {
        final List<String> events = new CopyOnWriteArrayList<>();
        int readable = Integer.MAX_VALUE;
        int writable;
        boolean eof;
        final ByteBuffer written = ByteBuffer.allocate(64 * 1024);

        IOSession session() {
            return (IOSession) Proxy.newProxyInstance(IOSession.class.getClassLoader(), new Class<?>[] {IOSession.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "read" -> {
                            if (eof) {
                                yield -1;
                            }
                            ByteBuffer dst = (ByteBuffer) args[0];
                            int n = Math.min(dst.remaining(), readable);
                            dst.position(dst.position() + n);
                            yield n;
                        }
                        case "write" -> {
                            ByteBuffer src = (ByteBuffer) args[0];
                            int n = Math.min(src.remaining(), writable);
                            ByteBuffer slice = src.slice();
                            slice.limit(n);
                            written.put(slice);
                            src.position(src.position() + n);
                            yield n;
                        }
                        case "setEvent" -> {
                            events.add("set " + args[0]);
                            yield null;
                        }
                        case "clearEvent" -> {
                            events.add("clear " + args[0]);
                            yield null;
                        }
                        case "toString" -> "fake session";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> null;
                    });
        }
    }

    @Test
    void aFullBufferStopsReadingTheSourceUntilTheSinkTookBytes() throws Exception {
        FakeSession source = new FakeSession();
        FakeSession sink = new FakeSession();
        IOSession from = source.session();
        IOSession to = sink.session();
        Direction direction = new Direction(CAP, new java.util.concurrent.atomic.LongAdder());
        direction.connect(from, to);

        assertThat(direction.read(from, null)).isEqualTo(CAP);
        assertThat(direction.held()).isEqualTo(CAP);
        assertThat(source.events).containsExactly("clear " + SelectionKey.OP_READ);
        assertThat(sink.events).containsExactly("set " + SelectionKey.OP_WRITE);
        assertThat(direction.read(from, null)).as("nothing more is read while full").isZero();
        assertThat(source.events).as("a read event while full (reading re-enabled by someone else) stops reading again")
                .containsExactly("clear " + SelectionKey.OP_READ, "clear " + SelectionKey.OP_READ);

        sink.writable = 100;
        assertThat(direction.write(to)).isEqualTo(100);
        assertThat(source.events).endsWith("set " + SelectionKey.OP_READ).hasSize(3);
        assertThat(direction.held()).isEqualTo(CAP - 100);

        sink.writable = Integer.MAX_VALUE;
        direction.write(to);
        assertThat(sink.events).endsWith("clear " + SelectionKey.OP_WRITE);
        assertThat(sink.written.position()).isEqualTo(CAP);
    }

    @Test
    void decryptedInputIsTakenWholeEvenPastTheCap() throws Exception {
        FakeSession source = new FakeSession();
        FakeSession sink = new FakeSession();
        IOSession from = source.session();
        Direction direction = new Direction(CAP, new java.util.concurrent.atomic.LongAdder());
        direction.connect(from, sink.session());
        ByteBuffer record = ByteBuffer.allocate(CAP + 500);

        assertThat(direction.read(from, record)).isEqualTo(CAP + 500);
        assertThat(record.hasRemaining()).isFalse();
        assertThat(source.events).containsExactly("clear " + SelectionKey.OP_READ);
    }

    @Test
    void recordsDecryptedAfterReadingPausedAreAllKeptInOrderPastTheSlack() throws Exception {
        FakeSession source = new FakeSession();
        FakeSession sink = new FakeSession();
        IOSession from = source.session();
        IOSession to = sink.session();
        Direction direction = new Direction(CAP, new java.util.concurrent.atomic.LongAdder());
        direction.connect(from, to);
        int recordSize = 16 * 1024;
        int records = 4; // one input event of a TLS layer that read four records (more than cap + slack)
        for (int r = 0; r < records; r++) {
            ByteBuffer record = ByteBuffer.allocate(recordSize);
            for (int i = 0; i < recordSize; i++) {
                record.put((byte) (r * 31 + i));
            }
            assertThat(direction.read(from, record.flip())).isEqualTo(recordSize);
        }
        assertThat(direction.held()).isEqualTo(records * recordSize).isGreaterThan(CAP + Direction.TLS_SLACK);

        sink.writable = Integer.MAX_VALUE;
        direction.write(to);
        ByteBuffer written = sink.written.flip();
        assertThat(written.remaining()).isEqualTo(records * recordSize);
        for (int r = 0; r < records; r++) {
            for (int i = 0; i < recordSize; i++) {
                assertThat(written.get()).isEqualTo((byte) (r * 31 + i));
            }
        }
    }

    @Test
    void theEndIsFinishedOnceEveryByteWentOut() throws Exception {
        FakeSession source = new FakeSession();
        FakeSession sink = new FakeSession();
        IOSession from = source.session();
        IOSession to = sink.session();
        Direction direction = new Direction(CAP, new java.util.concurrent.atomic.LongAdder());
        direction.connect(from, to);
        source.readable = 10;
        direction.read(from, null);
        source.eof = true;

        assertThat(direction.read(from, null)).isEqualTo(-1);
        assertThat(direction.finished()).as("10 bytes still held").isFalse();
        sink.writable = Integer.MAX_VALUE;
        direction.write(to);
        assertThat(direction.finished()).isTrue();
    }
}
