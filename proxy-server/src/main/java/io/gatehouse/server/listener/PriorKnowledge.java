package io.gatehouse.server.listener;

import org.apache.hc.core5.http.nio.command.CommandSupport;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.function.Supplier;

/**
 * A cleartext connection that may speak HTTP/1.1 or HTTP/2 with prior knowledge (h2c, RFC 9113
 * §3.3): its first bytes decide. As long as they could still be the HTTP/2 connection preface they
 * are held (at most 24 bytes); the protocol they choose then gets them as its first input. Only on
 * listeners with {@code http2: true}; other cleartext listeners go straight to HTTP/1.1.
 */
final class PriorKnowledge implements ClientProtocol, IOEventHandler {

    private final Supplier<? extends ClientProtocol> http1;
    private final Supplier<? extends ClientProtocol> http2;
    private final ByteBuffer first = ByteBuffer.allocate(Http2Protocol.PREFACE.length);
    private ClientProtocol chosen;

    /**
     * @param http1 creates the HTTP/1.1 handling
     * @param http2 creates the HTTP/2 handling (which reads the preface again)
     */
    PriorKnowledge(Supplier<? extends ClientProtocol> http1, Supplier<? extends ClientProtocol> http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    public IOEventHandler handler() {
        return this;
    }

    @Override
    public boolean betweenRequests() {
        return chosen != null && chosen.betweenRequests();
    }

    @Override
    public boolean multiplexed() {
        return chosen != null && chosen.multiplexed();
    }

    @Override
    public boolean outputBlocked() {
        return chosen != null && chosen.outputBlocked();
    }

    @Override
    public void connected(IOSession session) {
        // the first bytes decide
    }

    @Override
    public void inputReady(IOSession session, ByteBuffer src) throws IOException {
        if (chosen != null) {
            chosen.handler().inputReady(session, src);
            return;
        }
        boolean endOfStream = false;
        if (src != null) {
            while (src.hasRemaining() && first.hasRemaining()) {
                first.put(src.get());
            }
        } else {
            endOfStream = session.read(first) < 0;
        }
        boolean prefix = isPrefacePrefix();
        if (prefix && first.hasRemaining()) {
            if (endOfStream) {
                session.close(CloseMode.GRACEFUL);
            }
            return;
        }
        chosen = prefix ? http2.get() : http1.get();
        chosen.handler().connected(session);
        first.flip();
        ByteBuffer held = src != null && src.hasRemaining()
                ? ByteBuffer.allocate(first.remaining() + src.remaining()).put(first).put(src).flip() : first;
        chosen.handler().inputReady(session, held);
    }

    private boolean isPrefacePrefix() {
        for (int i = 0; i < first.position(); i++) {
            if (first.get(i) != Http2Protocol.PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void outputReady(IOSession session) throws IOException {
        if (chosen != null) {
            chosen.handler().outputReady(session);
        } else {
            session.clearEvent(SelectionKey.OP_WRITE);
        }
    }

    @Override
    public void timeout(IOSession session, Timeout timeout) throws IOException {
        if (chosen != null) {
            chosen.handler().timeout(session, timeout);
        } else {
            session.close(CloseMode.IMMEDIATE);
        }
    }

    @Override
    public void exception(IOSession session, Exception cause) {
        if (chosen != null) {
            chosen.handler().exception(session, cause);
        } else {
            session.close(CloseMode.IMMEDIATE);
        }
    }

    @Override
    public void disconnected(IOSession session) {
        if (chosen != null) {
            chosen.handler().disconnected(session);
        } else {
            CommandSupport.cancelCommands(session);
        }
    }
}
