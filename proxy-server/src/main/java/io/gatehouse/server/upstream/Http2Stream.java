package io.gatehouse.server.upstream;

import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One exchange's stream on a shared HTTP/2 origin connection, as the endpoint the exchange
 * leased. Giving it back never closes the connection: a clean end leaves nothing to do, a
 * discard resets the stream if it still runs ({@code RST_STREAM CANCEL}).
 */
final class Http2Stream extends AsyncClientEndpoint {

    private final IOSession session;
    private final boolean reused;
    private final Timeout silence;
    private final ScheduledExecutorService timer;
    private final ComplexCancellable stream = new ComplexCancellable();
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param onEnd told once when the stream ended, failed, was given back or never started
     */
    Http2Stream(IOSession session, boolean reused, Timeout silence, ScheduledExecutorService timer, Runnable onEnd) {
        this.session = session;
        this.reused = reused;
        this.silence = silence;
        this.timer = timer;
        this.onEnd = onEnd;
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }

    /** @return whether the connection had carried earlier streams */
    boolean reused() {
        return reused;
    }

    @Override
    public void execute(AsyncClientExchangeHandler handler, HandlerFactory<AsyncPushConsumer> pushHandlers, HttpContext context) {
        if (!session.isOpen()) {
            end();
            handler.failed(new ConnectionClosedException("the HTTP/2 connection to the upstream closed"));
            return;
        }
        StreamSilence watched = new StreamSilence(handler, stream, silence, timer, this::end);
        session.enqueue(new RequestExecutionCommand(watched, null, stream, context), Command.Priority.NORMAL);
        watched.start();
    }

    @Override
    public void releaseAndReuse() {
        end(); // the stream ended in both directions: the connection carries on
    }

    @Override
    public void releaseAndDiscard() {
        stream.cancel();
        end();
    }

    @Override
    public boolean isConnected() {
        return session.isOpen();
    }
}
