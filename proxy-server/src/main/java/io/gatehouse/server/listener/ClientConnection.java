package io.gatehouse.server.listener;

import io.gatehouse.server.exchange.PipelineOrder;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * One client connection: HttpCore's event handler for it, wrapped so that work can be handed to
 * the connection's own I/O thread. This is the executor of every exchange on the connection.
 *
 * <p>The threading rule it implements: timers and asynchronous completions only signal. A task
 * submitted from another thread is queued and the connection is woken for output; its I/O
 * thread runs the queued tasks first thing in its next output event, then HttpCore's own output
 * processing. A task submitted on the connection's I/O thread runs at once. Once the connection
 * has closed, tasks run on the submitting thread (there is no I/O thread to wait for), one at a
 * time.
 *
 * <p>The handler also tells code that runs inside HttpCore's parsing which connection is being
 * read ({@link #current()}): exchange handlers and the head deadline pick it up from there.
 */
final class ClientConnection implements IOEventHandler, Executor {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final ThreadLocal<ClientConnection> CURRENT = new ThreadLocal<>();

    private final IOEventHandler delegate;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile IOSession session;
    private volatile Thread ioThread;
    private volatile boolean closed;
    private final PipelineOrder order = new PipelineOrder(this::resumeInput);

    ClientConnection(IOEventHandler delegate) {
        this.delegate = delegate;
    }

    /** @return the connection whose events the calling I/O thread is handling, or null */
    static ClientConnection current() {
        return CURRENT.get();
    }

    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() == ioThread) {
            task.run();
            return;
        }
        tasks.add(task);
        IOSession current = session;
        if (closed || current == null) {
            runTasksAfterClose();
        } else {
            current.setEvent(SelectionKey.OP_WRITE);
            if (closed) {
                runTasksAfterClose(); // closed meanwhile: the I/O thread may have drained before the add
            }
        }
    }

    /**
     * Parses the input again on the I/O thread, without new bytes: a request head past its
     * deadline is then refused with 408 by the parser, in order with any response in progress.
     */
    void reparseInput() {
        execute(() -> {
            if (!closed && session != null) {
                try {
                    delegate.inputReady(session, null);
                } catch (IOException | RuntimeException e) {
                    delegate.exception(session, e instanceof IOException ? (IOException) e : new IOException(e));
                }
            }
        });
    }

    @Override
    public void connected(IOSession ioSession) throws IOException {
        enter(ioSession);
        try {
            delegate.connected(ioSession);
        } finally {
            CURRENT.remove();
        }
    }

    @Override
    public void inputReady(IOSession ioSession, ByteBuffer src) throws IOException {
        enter(ioSession);
        try {
            delegate.inputReady(ioSession, src);
        } finally {
            CURRENT.remove();
        }
        if (order.full()) {
            ioSession.clearEvent(SelectionKey.OP_READ); // after HttpCore, which re-enables reading per message
        }
    }

    /** @return the order of this connection's pipelined exchanges */
    PipelineOrder order() {
        return order;
    }

    private void resumeInput() {
        IOSession current = session;
        if (current != null && !closed) {
            current.setEvent(SelectionKey.OP_READ);
        }
    }

    @Override
    public void outputReady(IOSession ioSession) throws IOException {
        enter(ioSession);
        try {
            runQueuedTasks();
            delegate.outputReady(ioSession);
        } finally {
            CURRENT.remove();
        }
        // HttpCore may have cleared the write interest after a task was queued: wake up again
        if (!tasks.isEmpty()) {
            ioSession.setEvent(SelectionKey.OP_WRITE);
        }
    }

    @Override
    public void timeout(IOSession ioSession, Timeout timeout) throws IOException {
        enter(ioSession);
        try {
            delegate.timeout(ioSession, timeout);
        } finally {
            CURRENT.remove();
        }
    }

    @Override
    public void exception(IOSession ioSession, Exception cause) {
        enter(ioSession);
        try {
            delegate.exception(ioSession, cause);
        } finally {
            CURRENT.remove();
        }
    }

    @Override
    public void disconnected(IOSession ioSession) {
        enter(ioSession);
        try {
            delegate.disconnected(ioSession);
        } finally {
            CURRENT.remove();
            closed = true;
            runTasksAfterClose();
        }
    }

    private void enter(IOSession ioSession) {
        if (ioThread == null) {
            ioThread = Thread.currentThread();
            session = ioSession;
        }
        CURRENT.set(this);
    }

    private void runQueuedTasks() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("A task on a client connection's I/O thread failed", e);
            }
        }
    }

    private synchronized void runTasksAfterClose() {
        runQueuedTasks();
    }
}
