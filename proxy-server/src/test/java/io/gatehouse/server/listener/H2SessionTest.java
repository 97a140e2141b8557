package io.gatehouse.server.listener;

import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.apache.hc.core5.reactor.ssl.TlsDetails;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class H2SessionTest {

    /** A session whose socket takes at most {@code room[0]} bytes in all; records each write's size. */
    private static final class Socket {
        final int[] room;
        final List<Integer> writes = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProtocolIOSession session = mock(ProtocolIOSession.class);

        Socket(int room, boolean tls) throws Exception {
            this.room = new int[] {room};
            when(session.getLock()).thenReturn(new ReentrantLock());
            when(session.isOpen()).thenReturn(true);
            when(session.getTlsDetails()).thenReturn(tls ? new TlsDetails(null, "h2") : null);
            when(session.write(any())).thenAnswer(invocation -> {
                ByteBuffer src = invocation.getArgument(0);
                int n = Math.min(this.room[0], src.remaining());
                byte[] taken = new byte[n];
                src.get(taken);
                bytes.write(taken);
                this.room[0] -= n;
                if (n > 0) {
                    writes.add(n);
                }
                return n;
            });
        }
    }

    private static ByteBuffer frame(int size, int fill) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) fill);
        return ByteBuffer.wrap(bytes);
    }

    @Test
    void smallFramesLeaveInOneWriteAtTheFlush() throws Exception {
        Socket socket = new Socket(1 << 20, false);
        H2Session session = new H2Session(socket.session);
        assertThat(session.write(frame(30, 1))).isEqualTo(30);
        assertThat(session.write(frame(1033, 2))).isEqualTo(1033);
        assertThat(session.write(frame(30, 3))).isEqualTo(30);
        assertThat(socket.writes).isEmpty();
        assertThat(session.blocked()).isFalse();

        session.flush();
        assertThat(socket.writes).containsExactly(1093);
        byte[] out = socket.bytes.toByteArray();
        assertThat(out[0]).isEqualTo((byte) 1);
        assertThat(out[30]).isEqualTo((byte) 2);
        assertThat(out[1092]).isEqualTo((byte) 3);
    }

    @Test
    void aLargeFrameGoesStraightToACleartextSocketWhenNothingIsGathered() throws Exception {
        Socket socket = new Socket(1 << 20, false);
        H2Session session = new H2Session(socket.session);
        int large = H2Session.CAPACITY / 2 + 9;
        assertThat(session.write(frame(large, 1))).isEqualTo(large);
        assertThat(socket.writes).containsExactly(large);

        session.write(frame(16393, 2)); // a default-size DATA frame is gathered over cleartext
        assertThat(socket.writes).containsExactly(large);
        session.write(frame(H2Session.CAPACITY, 3)); // what was gathered goes first
        assertThat(socket.writes).containsExactly(large, 16393, H2Session.CAPACITY);
    }

    @Test
    void overTlsLargeFramesAreGatheredTooIntoSeveralRecordsPerWrite() throws Exception {
        Socket socket = new Socket(1 << 20, true);
        H2Session session = new H2Session(socket.session);
        for (int frame = 0; frame < 3; frame++) {
            assertThat(session.write(frame(16393, frame))).isEqualTo(16393);
        }
        assertThat(socket.writes).as("never straight to a TLS session: gathered").isEmpty();
        assertThat(session.write(frame(16393, 3))).isEqualTo(16393);
        assertThat(socket.writes).as("the gathered frames go first, in one write").containsExactly(3 * 16393);
        session.flush();
        assertThat(socket.writes).containsExactly(3 * 16393, 16393);
        assertThat(session.blocked()).isFalse();
    }

    @Test
    void blockedWhileTheSocketTakesNothingAndTheBufferIsFull() throws Exception {
        Socket socket = new Socket(0, false);
        H2Session session = new H2Session(socket.session);
        int taken = 0;
        while (!session.blocked()) {
            taken += session.write(frame(1000, 1));
        }
        assertThat(taken).isEqualTo(H2Session.CAPACITY);

        session.flush();
        verify(socket.session).setEvent(SelectionKey.OP_WRITE);

        socket.room[0] = 1 << 20;
        session.flush();
        assertThat(socket.bytes.size()).isEqualTo(H2Session.CAPACITY);
        assertThat(session.write(frame(1000, 1))).isEqualTo(1000);
        assertThat(session.blocked()).isFalse();
    }

    @Test
    void aGracefulCloseWaitsForTheGatheredBytes() throws Exception {
        Socket socket = new Socket(10, false);
        H2Session session = new H2Session(socket.session);
        session.write(frame(30, 1));
        session.close();
        verify(socket.session, never()).close(any(CloseMode.class));
        assertThat(socket.bytes.size()).isEqualTo(10);

        socket.room[0] = 100;
        session.flush();
        assertThat(socket.bytes.size()).isEqualTo(30);
        verify(socket.session).close(CloseMode.GRACEFUL);
    }

    @Test
    void anImmediateCloseDropsThem() throws Exception {
        Socket socket = new Socket(0, false);
        H2Session session = new H2Session(socket.session);
        session.write(frame(30, 1));
        session.close(CloseMode.IMMEDIATE);
        verify(socket.session).close(CloseMode.IMMEDIATE);
    }
}
