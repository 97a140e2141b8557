package io.gatehouse.server.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request-head deadline for clients that stop sending mid-head (slowloris): the strict
 * parser registers a connection whose head spans more than one read; a periodic sweep asks each
 * connection past the deadline to parse its input again, on its own I/O thread, where the parser
 * refuses the late head with 408 and the connection closes. The sweep only signals; it never
 * touches a socket. Heads that arrive in one read (nearly all) cost nothing here.
 */
final class HeadDeadlines {

    private final long deadlineNanos;
    private final Map<ClientConnection, Long> started = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeping;

    HeadDeadlines(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    void start(ScheduledExecutorService scheduler, long periodMillis) {
        sweeping = scheduler.scheduleAtFixedRate(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
        started.clear();
    }

    /**
     * A head is in progress on the connection being read.
     *
     * @param headStartNanos when its first byte arrived
     */
    void headInProgress(long headStartNanos) {
        ClientConnection connection = ClientConnection.current();
        if (connection != null) {
            started.putIfAbsent(connection, headStartNanos);
        }
    }

    /** The head on the connection being read is complete or refused. */
    void headDone() {
        ClientConnection connection = ClientConnection.current();
        if (connection != null && !started.isEmpty()) {
            started.remove(connection);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        started.forEach((connection, start) -> {
            if (now - start > deadlineNanos && started.remove(connection, start)) {
                connection.reparseInput();
            }
        });
    }
}
