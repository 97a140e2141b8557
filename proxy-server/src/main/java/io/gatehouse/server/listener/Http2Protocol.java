package io.gatehouse.server.listener;

import org.apache.hc.core5.http2.impl.nio.ProtocolNegotiationException;
import org.apache.hc.core5.http2.impl.nio.ServerH2IOEventHandler;
import org.apache.hc.core5.http2.impl.nio.ServerH2StreamMultiplexerFactory;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/2 on a client connection (after ALPN chose {@code h2}, or with prior knowledge): reads and
 * checks the client's connection preface, then hands the connection to HttpCore's server stream
 * multiplexer, whose streams run the same exchanges as HTTP/1.1 requests. Does what HttpCore's
 * own preface handler does, without replacing the session's event handler (the
 * {@link ClientConnection} stays in front, as the executor of the connection's exchanges).
 */
final class Http2Protocol implements ClientProtocol, IOEventHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Http2Protocol.class);

    /** The client connection preface (RFC 9113 §3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final H2Session session;
    private final ServerH2StreamMultiplexerFactory multiplexers;
    private final ByteBuffer preface = ByteBuffer.allocate(PREFACE.length);
    private ServerH2IOEventHandler streams;

    /**
     * @param session the connection's session (TLS-aware)
     * @param multiplexers creates the connection's multiplexer once the preface was read
     */
    Http2Protocol(ProtocolIOSession session, ServerH2StreamMultiplexerFactory multiplexers) {
        this.session = new H2Session(session);
        this.multiplexers = multiplexers;
    }

    @Override
    public IOEventHandler handler() {
        return this;
    }

    @Override
    public boolean betweenRequests() {
        return false;
    }

    @Override
    public boolean multiplexed() {
        return true;
    }

    @Override
    public boolean outputBlocked() {
        return session.blocked();
    }

    @Override
    public void connected(IOSession ioSession) {
        // the preface comes first
    }

    @Override
    public void inputReady(IOSession ioSession, ByteBuffer src) throws IOException {
        if (streams != null) {
            streams.inputReady(ioSession, src);
            return;
        }
        boolean endOfStream = false;
        if (src != null) {
            take(src);
        } else {
            ByteBuffer read = ByteBuffer.allocate(preface.remaining());
            endOfStream = ioSession.read(read) < 0;
            read.flip();
            take(read);
        }
        if (preface.hasRemaining()) {
            if (endOfStream) {
                ioSession.close();
            }
            return;
        }
        streams = new ServerH2IOEventHandler(multiplexers.create(session));
        streams.connected(ioSession);
        if (src != null && src.hasRemaining()) {
            streams.inputReady(ioSession, src);
        } else {
            streams.inputReady(ioSession, null); // frames that came with the preface may wait in the socket
        }
    }

    /** Takes preface bytes from {@code src}, at most as many as still missing; checks them. */
    private void take(ByteBuffer src) throws ProtocolNegotiationException {
        while (src.hasRemaining() && preface.hasRemaining()) {
            byte b = src.get();
            if (b != PREFACE[preface.position()]) {
                throw new ProtocolNegotiationException("Unexpected HTTP/2 preface");
            }
            preface.put(b);
        }
    }

    @Override
    public void outputReady(IOSession ioSession) throws IOException {
        if (streams != null) {
            session.flush(); // what was gathered since the last event goes first
            streams.outputReady(ioSession);
            session.flush();
        } else {
            ioSession.clearEvent(java.nio.channels.SelectionKey.OP_WRITE);
        }
    }

    @Override
    public void timeout(IOSession ioSession, Timeout timeout) throws IOException {
        if (streams != null) {
            streams.timeout(ioSession, timeout);
        } else {
            ioSession.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        }
    }

    @Override
    public void exception(IOSession ioSession, Exception cause) {
        LOG.debug("HTTP/2 client connection failed (HttpCore closes it)", cause);
        if (streams != null) {
            streams.exception(ioSession, cause);
        } else {
            ioSession.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        }
    }

    @Override
    public void disconnected(IOSession ioSession) {
        if (streams != null) {
            streams.disconnected(ioSession);
        } else {
            org.apache.hc.core5.http.nio.command.CommandSupport.cancelCommands(ioSession);
        }
    }
}
