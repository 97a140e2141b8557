package io.gatehouse.server.listener;

import io.gatehouse.server.exchange.PipelineOrder;
import io.gatehouse.server.tunnel.UpgradableConnection;
import org.apache.hc.core5.http.nio.command.CommandSupport;
import org.apache.hc.core5.http.nio.command.ShutdownCommand;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.Command;
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
import java.util.function.Supplier;

/**
 * One client connection: HttpCore's event handler for it, wrapped so that work can be handed to
 * the connection's own I/O thread, and so that an idle connection holds almost no memory. This is
 * the executor of every exchange on the connection.
 *
 * <p>The threading rule it implements: timers and asynchronous completions only signal. A task
 * submitted from another thread is queued and the connection is woken for output; its I/O
 * thread runs the queued tasks first thing in its next output event, then HttpCore's own output
 * processing. A task submitted on the connection's I/O thread runs at once. Once the connection
 * has closed, tasks run on the submitting thread (there is no I/O thread to wait for), one at a
 * time.
 *
 * <p>Asleep and awake: HttpCore's HTTP/1.1 handling of a connection (its {@link Http1Protocol})
 * holds three session buffers, about 100 KiB, for the connection's whole life. So the protocol is
 * created only when the client sends its first bytes, and dropped again when the connection has
 * been quiet between requests for a while ({@link IdleConnections}): every request read, every
 * response written, no byte waiting in either direction. An asleep connection is only its socket
 * and this object; its next bytes create a fresh protocol, which reads them as the start of a
 * request, exactly as on a new connection. Asleep, the connection still honours the idle timeout
 * (it closes), the server's shutdown (it closes) and errors (it closes).
 *
 * <p>The handler also tells code that runs inside HttpCore's parsing which connection is being
 * read ({@link #current()}): exchange handlers and the head deadline pick it up from there.
 */
final class ClientConnection implements IOEventHandler, Executor, UpgradableConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final ThreadLocal<ClientConnection> CURRENT = new ThreadLocal<>();

    private final Supplier<? extends ClientProtocol> protocols;
    private final ConnectionLimit limit;
    private final IdleConnections idle;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PipelineOrder order = new PipelineOrder(this::resumeInput);
    private volatile IOSession session;
    private volatile Thread ioThread;
    private volatile boolean closed;
    private volatile boolean sleepRequested;
    /** Whether this HTTP/2 connection was asked to go away (drain): once. */
    private final java.util.concurrent.atomic.AtomicBoolean goingAway = new java.util.concurrent.atomic.AtomicBoolean();
    /** The session's last event time when it last could not sleep: no new request before that changes. */
    private volatile long sleepRefusedAt = -1;
    private boolean admitted;
    /** Refused before its TLS handshake (over the limit): closed, and never to be admitted. */
    private boolean refused;
    /** The budget this TLS connection keeps its TLS buffers in, while it does ({@code tls.buffers: auto}). */
    private TlsBufferBudget keptTlsBuffers;
    /** Counted by the idle bookkeeping (from {@link #connected} on). */
    private boolean idleCounted;
    /** HttpCore's handling of the connection while awake; null while asleep (I/O thread only). */
    private ClientProtocol protocol;

    /**
     * @param protocols creates the connection's protocol handling when it wakes up
     * @param limit the cap on open client connections
     * @param idle where the connection reports sleeping and waking
     */
    ClientConnection(Supplier<? extends ClientProtocol> protocols, ConnectionLimit limit, IdleConnections idle) {
        this.protocols = protocols;
        this.limit = limit;
        this.idle = idle;
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
            if (!closed && session != null && protocol != null) {
                try {
                    protocol.handler().inputReady(session, null);
                } catch (IOException | RuntimeException e) {
                    protocol.handler().exception(session, e instanceof IOException ? (IOException) e : new IOException(e));
                }
            }
        });
    }

    /**
     * Asks the I/O thread to put the connection to sleep if it has no open exchange and no event
     * for the given time. Only signals; called by the idle sweep. A connection that could not
     * sleep is not asked again before its next event, so the sweep never keeps a connection
     * from timing out.
     *
     * @param nowMillis the current time, in {@link System#currentTimeMillis()} terms
     * @param quietMillis how long the connection must have been without events
     */
    void sleepIfQuiet(long nowMillis, long quietMillis) {
        IOSession current = session;
        if (current == null || closed || !order.idle()) {
            return;
        }
        long lastEvent = current.getLastEventTime();
        if (nowMillis - lastEvent >= quietMillis && lastEvent != sleepRefusedAt) {
            sleepRequested = true;
            current.setEvent(SelectionKey.OP_WRITE);
        }
    }

    /**
     * The server drains: an HTTP/2 connection is told to go away ({@code GOAWAY} with the last
     * stream it took, through HttpCore's graceful shutdown on the connection's I/O thread), so its
     * client opens a new connection elsewhere for further requests while the streams under way
     * finish; the connection closes once they did. Once per connection; nothing for HTTP/1.1,
     * whose responses carry {@code Connection: close} while draining.
     */
    void goAwayIfMultiplexed() {
        IOSession current = session;
        if (current != null && !closed && multiplexed() && goingAway.compareAndSet(false, true)) {
            current.enqueue(ShutdownCommand.GRACEFUL, Command.Priority.IMMEDIATE);
        }
    }

    /**
     * Counts a TLS connection against the connection limit as soon as it is accepted, so that
     * connections still in their handshake are counted too ({@link #connected} comes only after
     * the handshake). Called on the I/O thread, before the handshake starts.
     *
     * @return whether it may proceed; if not, it is refused (the caller closes it)
     */
    boolean admitBeforeHandshake() {
        admitted = limit.tryOpen();
        refused = !admitted;
        return admitted;
    }

    /**
     * Asks the budget whether this TLS connection may keep its TLS buffers for its life; the place
     * is given back when the connection closes. Called on the I/O thread, before the handshake starts.
     *
     * @param budget the engine's budget
     * @return whether it keeps them
     */
    boolean keepTlsBuffers(TlsBufferBudget budget) {
        if (keptTlsBuffers == null && budget.tryKeep()) {
            keptTlsBuffers = budget;
        }
        return keptTlsBuffers != null;
    }

    @Override
    public void connected(IOSession ioSession) {
        enter(ioSession);
        try {
            if (refused) {
                return;
            }
            if (!admitted) {
                admitted = limit.tryOpen();
                if (!admitted) {
                    ioSession.close(CloseMode.GRACEFUL);
                    return;
                }
            }
            idle.connected();
            idleCounted = true;
            ioSession.setEventMask(SelectionKey.OP_READ);
        } finally {
            CURRENT.remove();
        }
    }

    @Override
    public void inputReady(IOSession ioSession, ByteBuffer src) throws IOException {
        enter(ioSession);
        try {
            if (protocol == null) {
                wake(ioSession);
            }
            protocol.handler().inputReady(ioSession, src);
        } finally {
            CURRENT.remove();
        }
        if (order.full()) {
            ioSession.clearEvent(SelectionKey.OP_READ); // after HttpCore, which re-enables reading per message
        }
    }

    /**
     * @return whether the connection speaks HTTP/2 (its exchanges are concurrent streams, not in
     *     pipeline order); asked on the I/O thread while a request head is handled
     */
    boolean multiplexed() {
        ClientProtocol current = protocol;
        return current != null && current.multiplexed();
    }

    /**
     * @return whether the connection cannot take output before its next output event (see
     *     {@link ClientProtocol#outputBlocked()}); asked on the I/O thread
     */
    boolean outputBlocked() {
        ClientProtocol current = protocol;
        return current != null && current.outputBlocked();
    }

    @Override
    public void switchTo(IOEventHandler handler) {
        if (closed || session == null || protocol == null || Thread.currentThread() != ioThread) {
            throw new IllegalStateException("a client connection switches to a tunnel only while awake, on its I/O thread");
        }
        ClientProtocol http = protocol;
        protocol = new TunnelProtocol(handler);
        try {
            // releases the upgrade's exchange and lets the HTTP/1.1 buffers go: the tunnel has its own
            http.handler().disconnected(session);
        } catch (RuntimeException e) {
            LOG.debug("Releasing the HTTP/1.1 handling of a tunnelled connection failed: {}", e.toString());
        }
        try {
            handler.connected(session);
        } catch (IOException e) {
            handler.exception(session, e);
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
            if (protocol != null) {
                protocol.handler().outputReady(ioSession);
                if (sleepRequested) {
                    sleepRequested = false;
                    sleepIfBetweenRequests(ioSession);
                }
            } else {
                sleepRequested = false;
                takeCommandsAsleep(ioSession);
            }
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
            if (protocol != null) {
                protocol.handler().timeout(ioSession, timeout);
            } else {
                ioSession.close(CloseMode.GRACEFUL); // idle past the timeout, nothing in flight
            }
        } finally {
            CURRENT.remove();
        }
    }

    @Override
    public void exception(IOSession ioSession, Exception cause) {
        enter(ioSession);
        try {
            if (protocol != null) {
                protocol.handler().exception(ioSession, cause);
            } else {
                LOG.debug("I/O error on an idle client connection: {}", cause.toString());
                ioSession.close(CloseMode.IMMEDIATE);
            }
        } finally {
            CURRENT.remove();
        }
    }

    @Override
    public void disconnected(IOSession ioSession) {
        enter(ioSession);
        try {
            if (protocol != null) {
                protocol.handler().disconnected(ioSession);
                idle.closedAwake(this);
            } else {
                CommandSupport.cancelCommands(ioSession);
                if (idleCounted) {
                    idle.closedAsleep();
                }
            }
        } finally {
            CURRENT.remove();
            closed = true;
            if (admitted) {
                admitted = false;
                limit.closed();
            }
            if (keptTlsBuffers != null) {
                keptTlsBuffers.giveBack();
                keptTlsBuffers = null;
            }
            runTasksAfterClose();
        }
    }

    private void wake(IOSession ioSession) throws IOException {
        protocol = protocols.get();
        idle.woke(this);
        protocol.handler().connected(ioSession);
    }

    /**
     * Drops the protocol (and its buffers) if the connection is between requests: every exchange
     * released, no head begun or byte unread, nothing left to write, no task or command waiting.
     */
    private void sleepIfBetweenRequests(IOSession ioSession) {
        if (order.idle() && protocol.betweenRequests() && tasks.isEmpty() && !ioSession.hasCommands()
                && (ioSession.getEventMask() & SelectionKey.OP_WRITE) == 0 && ioSession.getStatus() == IOSession.Status.ACTIVE) {
            protocol = null;
            ioSession.setEventMask(SelectionKey.OP_READ);
            idle.fellAsleep(this);
        } else {
            sleepRefusedAt = ioSession.getLastEventTime();
        }
    }

    /**
     * Takes the commands queued for an asleep connection: the server's shutdown closes it (there
     * is nothing to finish); no other command is meant for a server connection.
     */
    private void takeCommandsAsleep(IOSession ioSession) {
        for (Command command = ioSession.poll(); command != null; command = ioSession.poll()) {
            if (command instanceof ShutdownCommand shutdown) {
                ioSession.close(shutdown.getType());
            } else {
                command.cancel();
            }
        }
        if (tasks.isEmpty()) {
            ioSession.clearEvent(SelectionKey.OP_WRITE);
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
