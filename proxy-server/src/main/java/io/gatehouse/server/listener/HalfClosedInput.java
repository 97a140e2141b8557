package io.gatehouse.server.listener;

import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.Http1StreamListener;
import org.apache.hc.core5.reactor.ProtocolIOSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

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
final class HalfClosedInput extends ForwardingSession implements Http1StreamListener {

    private int owed;
    private boolean held;

    HalfClosedInput(ProtocolIOSession session) {
        super(session);
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


































}
