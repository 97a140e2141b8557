package io.gatehouse.server.tunnel;

import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The origin connection of a tunnel, from the connect on: it writes the upgrade request, reads
 * the response head itself (bytes after a 101 head are WebSocket frames and stay in the tunnel),
 * then splices. A non-101 answer is read whole (bounded) and handed back for the client.
 */
public final class OriginSide implements IOEventHandler {

    /** The longest response head read. */
    static final int HEAD_LIMIT = 64 * 1024;
    /** The longest body of a non-101 answer relayed. */
    static final int REFUSAL_BODY_LIMIT = 1024 * 1024;

    private enum State { HANDSHAKE, REFUSAL_BODY, SPLICING, DONE }

    private final Tunnel tunnel;
    private final Handshake handshake;
    /** The response head as read so far; dropped once the tunnel splices. */
    private byte[] head = new byte[HEAD_LIMIT];
    private int headCount;
    private State state = State.HANDSHAKE;
    private OriginResponseHead refusal;
    private ByteArrayOutputStream refusalBody;
    private long refusalLength;
    /** The decoder of a chunked refusal body, else null. */
    private ChunkedBody refusalChunks;
    private IOSession session;

    OriginSide(Tunnel tunnel, Handshake handshake) {
        this.tunnel = tunnel;
        this.handshake = handshake;
    }

    /**
     * The connection is up (and TLS established): the request goes out.
     *
     * @param connected the origin connection
     */
    public void start(IOSession connected) {
        session = connected;
        tunnel.originConnected(connected);
        tunnel.toOrigin.connect(null, connected);
        connected.setEvent(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    @Override
    public void connected(IOSession ioSession) {
        ioSession.setEvent(SelectionKey.OP_READ);
    }

    @Override
    public synchronized void inputReady(IOSession ioSession, ByteBuffer src) throws IOException {
        switch (state) {
            case HANDSHAKE -> readHead(ioSession, src);
            case REFUSAL_BODY -> readRefusalBody(ioSession, src);
            case SPLICING -> splice(ioSession, src);
            default -> {
                if (src != null) {
                    src.position(src.limit());
                }
            }
        }
    }

    private void readHead(IOSession ioSession, ByteBuffer src) throws IOException {
        int read;
        if (src != null) {
            read = Math.min(src.remaining(), head.length - headCount);
            src.get(head, headCount, read);
        } else {
            read = ioSession.read(ByteBuffer.wrap(head, headCount, head.length - headCount));
        }
        if (read < 0) {
            fail(new ConnectionClosedException("the origin closed the connection before its response head"));
            return;
        }
        headCount += read;
        Optional<OriginResponseHead> parsed;
        try {
            parsed = OriginResponseHead.parse(head, headCount);
        } catch (IllegalArgumentException e) {
            fail(new ProtocolException("malformed response head from the origin: " + e.getMessage()));
            return;
        }
        if (parsed.isEmpty()) {
            if (headCount == head.length) {
                fail(new ProtocolException("response head from the origin longer than " + HEAD_LIMIT + " bytes"));
            }
            return;
        }
        OriginResponseHead answer = parsed.get();
        if (answer.switchesToWebSocket()) {
            state = State.SPLICING;
            ioSession.setSocketTimeout(Timeout.of(tunnel.idleNanos(), TimeUnit.NANOSECONDS));
            tunnel.toClient.prefill(ByteBuffer.wrap(head, 0, headCount)); // the 101 and any frames after it
            head = null;
            tunnel.toClient.connect(ioSession, null);
            tunnel.touch();
            handshake.upgraded(answer);
            if (src != null && src.hasRemaining()) {
                splice(ioSession, src);
            }
            return;
        }
        startRefusal(ioSession, answer, src);
    }

    private void startRefusal(IOSession ioSession, OriginResponseHead answer, ByteBuffer src) throws IOException {
        if (answer.status() < 200) {
            fail(new ProtocolException("unexpected interim response " + answer.status() + " to an upgrade request"));
            return;
        }
        Optional<String> coding = answer.first("Transfer-Encoding");
        if (coding.isPresent() && !coding.get().trim().equalsIgnoreCase("chunked")) {
            fail(new ProtocolException("an answer to an upgrade request with Transfer-Encoding " + coding.get()));
            return;
        }
        long length;
        if (coding.isPresent()) {
            length = -1;
            refusalChunks = new ChunkedBody(REFUSAL_BODY_LIMIT);
        } else if (answer.status() == 204 || answer.status() == 304) {
            length = 0;
        } else {
            try {
                length = answer.first("Content-Length").map(Long::parseLong).orElse(-1L);
            } catch (NumberFormatException e) {
                fail(new ProtocolException("invalid Content-Length from the origin"));
                return;
            }
        }
        if (length > REFUSAL_BODY_LIMIT) {
            fail(new ProtocolException("answer to an upgrade request larger than " + REFUSAL_BODY_LIMIT + " bytes"));
            return;
        }
        state = State.REFUSAL_BODY;
        refusal = answer;
        refusalLength = length;
        refusalBody = new ByteArrayOutputStream();
        if (refusalChunks != null) {
            decodeChunks(ByteBuffer.wrap(head, answer.length(), headCount - answer.length()), false);
        } else {
            refusalBody.write(head, answer.length(), headCount - answer.length());
        }
        if (state != State.REFUSAL_BODY) {
            return; // the whole answer came with its head
        }
        if (src != null && src.hasRemaining()) {
            readRefusalBody(ioSession, src);
        } else {
            refusalProgress(false);
        }
    }

    private void readRefusalBody(IOSession ioSession, ByteBuffer src) throws IOException {
        boolean eof = false;
        if (refusalChunks != null) {
            ByteBuffer bytes = src;
            if (bytes == null) {
                bytes = ByteBuffer.allocate(16 * 1024);
                eof = ioSession.read(bytes) < 0;
                bytes.flip();
            }
            decodeChunks(bytes, eof);
            return;
        }
        if (src != null) {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            refusalBody.write(bytes, 0, bytes.length);
        } else {
            ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
            int read = ioSession.read(chunk);
            if (read < 0) {
                eof = true;
            } else {
                refusalBody.write(chunk.array(), 0, read);
            }
        }
        refusalProgress(eof);
    }

    private void refusalProgress(boolean eof) {
        int have = refusalBody.size();
        if (have > REFUSAL_BODY_LIMIT) {
            fail(new ProtocolException("answer to an upgrade request larger than " + REFUSAL_BODY_LIMIT + " bytes"));
        } else if (refusalLength >= 0 && have >= refusalLength) {
            byte[] body = java.util.Arrays.copyOf(refusalBody.toByteArray(), (int) refusalLength);
            finishRefusal(body);
        } else if (eof && refusalLength < 0) {
            finishRefusal(refusalBody.toByteArray());
        } else if (eof) {
            fail(new ConnectionClosedException("the origin closed the connection within its answer"));
        }
    }

    private void decodeChunks(ByteBuffer bytes, boolean eof) {
        try {
            if (refusalChunks.feed(bytes)) {
                finishRefusal(refusalChunks.bytes());
            } else if (eof) {
                fail(new ConnectionClosedException("the origin closed the connection within its chunked answer"));
            }
        } catch (ProtocolException e) {
            fail(new ProtocolException("malformed chunked answer to an upgrade request: " + e.getMessage()));
        }
    }

    private void finishRefusal(byte[] body) {
        state = State.DONE;
        tunnel.close(CloseMode.IMMEDIATE);
        handshake.answered(refusal, body);
    }

    private void splice(IOSession ioSession, ByteBuffer src) throws IOException {
        int read;
        do {
            read = tunnel.toClient.read(ioSession, src);
            if (read != 0) {
                tunnel.touch();
            }
        } while (read > 0 && src == null);
        if (read < 0) {
            tunnel.toClient.end();
        }
    }

    @Override
    public void outputReady(IOSession ioSession) throws IOException {
        for (Command command = ioSession.poll(); command != null; command = ioSession.poll()) {
            command.cancel();
        }
        if (tunnel.toOrigin.write(ioSession) > 0) {
            tunnel.touch();
        }
        if (tunnel.toOrigin.finished() || tunnel.toClient.finished()) {
            tunnel.close(CloseMode.GRACEFUL);
        }
    }

    @Override
    public synchronized void timeout(IOSession ioSession, Timeout timeout) {
        if (state == State.SPLICING) {
            tunnel.timedOut();
        } else {
            fail(new SocketTimeoutException("the origin did not answer the upgrade request within " + timeout));
        }
    }

    @Override
    public synchronized void exception(IOSession ioSession, Exception cause) {
        if (state == State.HANDSHAKE || state == State.REFUSAL_BODY) {
            fail(cause);
        }
        tunnel.close(CloseMode.IMMEDIATE);
    }

    @Override
    public synchronized void disconnected(IOSession ioSession) {
        if (state == State.REFUSAL_BODY && refusalLength < 0 && refusalChunks == null) {
            finishRefusal(refusalBody.toByteArray());
            return;
        }
        if (state == State.HANDSHAKE || state == State.REFUSAL_BODY) {
            fail(new ConnectionClosedException("the origin connection closed before its answer"));
        }
        tunnel.close(CloseMode.IMMEDIATE);
    }

    /** Fails the handshake, once, and closes the tunnel. */
    synchronized void fail(Exception cause) {
        if (state == State.HANDSHAKE || state == State.REFUSAL_BODY) {
            state = State.DONE;
            tunnel.close(CloseMode.IMMEDIATE);
            handshake.failed(cause);
        }
    }
}
