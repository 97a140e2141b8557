package io.gatehouse.server.exchange;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Keeps the exchanges of one client connection in order (RFC 9112 §9.3.2): a pipelined request
 * is not forwarded before the previous exchange's response has finished, as nginx and HAProxy
 * do. HttpCore parses pipelined heads as they arrive; each waits here, with its body held in its
 * own bounded relay, until the one before has ended. The wait is bounded too: while {@value
 * #PAUSE_INPUT_AT} or more exchanges wait, the connection is not read (the client's further bytes
 * stay in its socket), so what waits is at most what HttpCore had already read: one session
 * buffer of heads, and the bodies of at most {@value #PAUSE_INPUT_AT} exchanges, each within its
 * relay's limit.
 *
 * <p>Used on the connection's I/O thread; synchronised all the same, for exchanges that end on
 * another thread after the connection closed.
 */
public final class PipelineOrder {

    /** Waiting exchanges from which the connection stops reading until the line shortens. */
    static final int PAUSE_INPUT_AT = 4;

    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private final Runnable resumeInput;
    private boolean busy;
    private int open;
    private volatile boolean closing;

    /**
     * @param resumeInput asks the connection to read again, when the line has become short
     */
    public PipelineOrder(Runnable resumeInput) {
        this.resumeInput = resumeInput;
    }

    /** @return an order for an exchange that has no connection of its own (never waits) */
    static PipelineOrder unordered() {
        return new PipelineOrder(() -> { });
    }

    /** An exchange was created on the connection (its request head was parsed). */
    synchronized void opened() {
        open++;
    }

    /** HttpCore released an exchange of the connection: both its request and its response are over. */
    synchronized void released() {
        open--;
    }

    /**
     * @return whether no exchange of the connection is still open: every request was read and
     *     every response written (HttpCore released them all)
     */
    public synchronized boolean idle() {
        return open == 0;
    }

    /**
     * Starts an exchange now if none is in progress, else queues it.
     *
     * @param start what starts the exchange (its request chain)
     */
    void begin(Runnable start) {
        synchronized (this) {
            if (busy) {
                waiting.add(start);
                return;
            }
            busy = true;
        }
        start.run();
    }

    /**
     * The exchange in progress has ended.
     *
     * @return what starts the next one, or null when none waits
     */
    Runnable end() {
        Runnable next;
        boolean resume;
        synchronized (this) {
            next = waiting.poll();
            busy = next != null;
            resume = waiting.size() == PAUSE_INPUT_AT - 1;
        }
        if (resume) {
            resumeInput.run();
        }
        return next;
    }

    /**
     * An exchange decided that the connection closes after its response (a refusal, the client's
     * {@code Connection: close}, shutting down): no request after it is read (RFC 9112 §9.6).
     */
    void closing() {
        closing = true;
    }

    /** @return whether an exchange decided that the connection closes after its response */
    public boolean isClosing() {
        return closing;
    }

    /** @return whether so many exchanges wait that the connection should stop reading */
    public synchronized boolean full() {
        return waiting.size() >= PAUSE_INPUT_AT;
    }
}
