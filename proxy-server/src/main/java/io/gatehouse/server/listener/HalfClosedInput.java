package io.gatehouse.server.listener;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.Http1StreamListener;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.ProtocolIOSession;
import org.apache.hc.core5.reactor.ProtocolUpgradeHandler;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.SSLSessionInitializer;
import org.apache.hc.core5.reactor.ssl.SSLSessionVerifier;
import org.apache.hc.core5.reactor.ssl.TlsDetails;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.locks.Lock;

/**
 * A client connection's session as its HTTP/1.1 duplexer reads heads from it: the end of the
 * client's input (a half-close after its last request) is held back while responses are still
 * owed, and shown once the last one has been sent.
 *
 * <p>Why: HttpCore answers the end of input between messages with a graceful shutdown, and from
 * then on never starts the responses of requests still queued behind the one in progress. A
 * client that pipelined two requests and shut down its sending side got the first response, then
 * nothing until the idle timeout. Held back, the end arrives when nothing is queued: the
 * connection closes after the last response, and a head left unfinished by the client is refused
 * (400) in its turn.
 *
 * <p>Only reads between messages go through here: request bodies are read from the raw session
 * ({@link #raw()}), so a client that stops in the middle of a body still ends its exchange at once.
 * While the end is held, the session is not watched for input, so it costs no wake-ups.
 *
 * <p>Used on the connection's I/O thread only.
 */
final class HalfClosedInput implements ProtocolIOSession, Http1StreamListener {

    private final ProtocolIOSession session;
    private int owed;
    private boolean held;

    HalfClosedInput(ProtocolIOSession session) {
        this.session = session;
    }

    /** @return the session itself, for reading request bodies */
    ProtocolIOSession raw() {
        return session;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int read = session.read(dst);
        if (read < 0 && owed > 0) {
            held = true;
            session.clearEvent(SelectionKey.OP_READ);
            return 0;
        }
        return read;
    }

    @Override
    public void onRequestHead(HttpConnection connection, HttpRequest request) {
        owed++;
        if (held) {
            // its body, if any, is read from the session itself and must see the end
            session.setEvent(SelectionKey.OP_READ);
        }
    }

    @Override
    public void onResponseHead(HttpConnection connection, HttpResponse response) {
        // the exchange is complete only when its response is
    }

    @Override
    public void onExchangeComplete(HttpConnection connection, boolean keepAlive) {
        // a refusal of HttpCore's own (400 for a malformed head) completes without a head of ours:
        // it is always the last response of its connection
        if (owed > 0) {
            owed--;
        }
        if (owed == 0 && held) {
            held = false;
            session.setEvent(SelectionKey.OP_READ); // read the end again, and let it through
        }
    }

    // ------------------------------------------------------------------ the rest is the session's

    @Override
    public int write(ByteBuffer src) throws IOException {
        return session.write(src);
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public String getId() {
        return session.getId();
    }

    @Override
    public IOEventHandler getHandler() {
        return session.getHandler();
    }

    @Override
    public void upgrade(IOEventHandler handler) {
        session.upgrade(handler);
    }

    @Override
    public Lock getLock() {
        return session.getLock();
    }

    @Override
    public void enqueue(Command command, Command.Priority priority) {
        session.enqueue(command, priority);
    }

    @Override
    public boolean hasCommands() {
        return session.hasCommands();
    }

    @Override
    public Command poll() {
        return session.poll();
    }

    @Override
    public ByteChannel channel() {
        return session.channel();
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return session.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return session.getLocalAddress();
    }

    @Override
    public int getEventMask() {
        return session.getEventMask();
    }

    @Override
    public void setEventMask(int ops) {
        session.setEventMask(ops);
    }

    @Override
    public void setEvent(int op) {
        session.setEvent(op);
    }

    @Override
    public void clearEvent(int op) {
        session.clearEvent(op);
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public void close(CloseMode closeMode) {
        session.close(closeMode);
    }

    @Override
    public Status getStatus() {
        return session.getStatus();
    }

    @Override
    public Timeout getSocketTimeout() {
        return session.getSocketTimeout();
    }

    @Override
    public void setSocketTimeout(Timeout timeout) {
        session.setSocketTimeout(timeout);
    }

    @Override
    public long getLastReadTime() {
        return session.getLastReadTime();
    }

    @Override
    public long getLastWriteTime() {
        return session.getLastWriteTime();
    }

    @Override
    public long getLastEventTime() {
        return session.getLastEventTime();
    }

    @Override
    public void updateReadTime() {
        session.updateReadTime();
    }

    @Override
    public void updateWriteTime() {
        session.updateWriteTime();
    }

    @Override
    public void startTls(SSLContext sslContext, NamedEndpoint endpoint, SSLBufferMode sslBufferMode,
                         SSLSessionInitializer initializer, SSLSessionVerifier verifier, Timeout handshakeTimeout) {
        session.startTls(sslContext, endpoint, sslBufferMode, initializer, verifier, handshakeTimeout);
    }

    @Override
    public void startTls(SSLContext sslContext, NamedEndpoint endpoint, SSLBufferMode sslBufferMode,
                         SSLSessionInitializer initializer, SSLSessionVerifier verifier, Timeout handshakeTimeout,
                         FutureCallback<TransportSecurityLayer> callback) {
        session.startTls(sslContext, endpoint, sslBufferMode, initializer, verifier, handshakeTimeout, callback);
    }

    @Override
    public TlsDetails getTlsDetails() {
        return session.getTlsDetails();
    }

    @Override
    public void switchProtocol(String protocolId, FutureCallback<ProtocolIOSession> callback) {
        session.switchProtocol(protocolId, callback);
    }

    @Override
    public void registerProtocol(String protocolId, ProtocolUpgradeHandler upgradeHandler) {
        session.registerProtocol(protocolId, upgradeHandler);
    }

    @Override
    public NamedEndpoint getInitialEndpoint() {
        return session.getInitialEndpoint();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
