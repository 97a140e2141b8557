package io.gatehouse.server.listener;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts quiet client connections to sleep (see {@link ClientConnection}): a periodic sweep asks
 * each awake connection that has had no open exchange and no I/O event for {@value
 * #QUIET_MILLIS} ms to sleep; the connection decides on its own I/O thread. The wait keeps the
 * protocol of a busy keep-alive connection alive between its requests (re-creating it costs its
 * buffers); the sweep only signals. Counts the connections asleep for the admin's statistics.
 */
final class IdleConnections {

    /** How long a connection must be quiet before it sleeps. */
    static final long QUIET_MILLIS = 1000;
    private static final long SWEEP_MILLIS = QUIET_MILLIS / 2;

    private final Set<ClientConnection> awake = ConcurrentHashMap.newKeySet();
    private final AtomicInteger asleep = new AtomicInteger();
    private volatile boolean draining;
    private ScheduledFuture<?> sweeping;

    void start(ScheduledExecutorService scheduler) {
        sweeping = scheduler.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
    }

    /** A connection was accepted; it sleeps until its client sends. */
    void connected() {
        asleep.incrementAndGet();
    }

    void woke(ClientConnection connection) {
        asleep.decrementAndGet();
        awake.add(connection);
    }

    void fellAsleep(ClientConnection connection) {
        awake.remove(connection);
        asleep.incrementAndGet();
    }

    void closedAwake(ClientConnection connection) {
        awake.remove(connection);
    }

    void closedAsleep() {
        asleep.decrementAndGet();
    }

    /**
     * The server drains: HTTP/2 connections are told to go away now, and those that turn HTTP/2
     * later (a preface read after this) at the next sweep.
     */
    void drain() {
        draining = true;
        awake.forEach(ClientConnection::goAwayIfMultiplexed);
    }

    /** @return the client connections open and asleep now */
    int asleep() {
        return asleep.get();
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        for (ClientConnection connection : awake) {
            if (draining) {
                connection.goAwayIfMultiplexed();
            }
            connection.sleepIfQuiet(now, QUIET_MILLIS);
        }
    }
}
