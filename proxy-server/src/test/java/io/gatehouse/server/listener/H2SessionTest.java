package io.gatehouse.server.listener;

import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class H2SessionTest {

    /** A session whose socket takes at most {@code room} bytes per write. */
    private static ProtocolIOSession takingAtMost(int[] room) throws Exception {
        ProtocolIOSession session = mock(ProtocolIOSession.class);
        when(session.write(any())).thenAnswer(invocation -> {
            ByteBuffer src = invocation.getArgument(0);
            int n = Math.min(room[0], src.remaining());
            src.position(src.position() + n);
            return n;
        });
        return session;
    }

    @Test
    void blockedWhileTheLastWriteLeftBytesBehind() throws Exception {
        int[] room = {10};
        H2Session session = new H2Session(takingAtMost(room));
        assertThat(session.blocked()).isFalse();

        ByteBuffer frame = ByteBuffer.allocate(25);
        assertThat(session.write(frame)).isEqualTo(10);
        assertThat(session.blocked()).isTrue();

        room[0] = 0;
        assertThat(session.write(frame)).isZero();
        assertThat(session.blocked()).isTrue();

        room[0] = 100;
        assertThat(session.write(frame)).isEqualTo(15);
        assertThat(session.blocked()).isFalse();
    }

    @Test
    void aWholeWriteLeavesItUnblocked() throws Exception {
        H2Session session = new H2Session(takingAtMost(new int[] {100}));
        assertThat(session.write(ByteBuffer.allocate(100))).isEqualTo(100);
        assertThat(session.blocked()).isFalse();
    }
}
