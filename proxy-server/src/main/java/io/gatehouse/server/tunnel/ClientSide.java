package io.gatehouse.server.tunnel;

import org.apache.hc.core5.http.nio.command.ShutdownCommand;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/** The client connection of a tunnel, after the switch: its bytes go to the origin, the origin's come back. */
final class ClientSide implements IOEventHandler {

    private final Tunnel tunnel;

    ClientSide(Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    @Override
    public void connected(IOSession session) {
        session.setSocketTimeout(Timeout.of(tunnel.idleNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
        session.setEventMask(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        tunnel.clientConnected(session);
    }

    @Override
    public void inputReady(IOSession session, ByteBuffer src) throws IOException {
        int read;
        do {
            read = tunnel.toOrigin.read(session, src);
            if (read != 0) {
                tunnel.touch();
            }
        } while (read > 0 && src == null);
        if (read < 0) {
            tunnel.toOrigin.end();
        }
    }

    @Override
    public void outputReady(IOSession session) throws IOException {
        for (Command command = session.poll(); command != null; command = session.poll()) {
            if (command instanceof ShutdownCommand) {
                tunnel.close(CloseMode.GRACEFUL);
            } else {
                command.cancel();
            }
        }
        if (tunnel.toClient.write(session) > 0) {
            tunnel.touch();
        }
        if (tunnel.toClient.finished() || tunnel.toOrigin.finished()) {
            tunnel.close(CloseMode.GRACEFUL);
        }
    }

    @Override
    public void timeout(IOSession session, Timeout timeout) {
        tunnel.timedOut();
    }

    @Override
    public void exception(IOSession session, Exception cause) {
        tunnel.close(CloseMode.IMMEDIATE);
    }

    @Override
    public void disconnected(IOSession session) {
        tunnel.close(CloseMode.IMMEDIATE);
    }
}
