package io.gatehouse.server.reload;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * A graceful drain, started once by {@code POST /drain} or a stop: readiness turns false at once;
 * after the drain delay (so load balancers in front notice), the listeners stop accepting and
 * keep-alive connections get {@code Connection: close} after their current request. Established
 * connections and in-flight exchanges are served on.
 */
public final class Drain {

    private final Duration delay;
    private final ScheduledExecutorService timer;
    private final Runnable closeListeners;
    private final Runnable closeConnections;
    private final CompletableFuture<Void> listenersClosed = new CompletableFuture<>();
    private volatile long startedNanos;
    private volatile boolean started;

    /**
     * @param delay {@code server.timeouts.drain-delay}
     * @param timer runs the end of the delay
     * @param closeListeners stops accepting
     * @param closeConnections makes every later response close its connection
     */
    public Drain(Duration delay, ScheduledExecutorService timer, Runnable closeListeners, Runnable closeConnections) {
        this.delay = delay;
        this.timer = timer;
        this.closeListeners = closeListeners;
        this.closeConnections = closeConnections;
    }

    /** @return whether the drain started (readiness is false) */
    public boolean started() {
        return started;
    }

    /**
     * Starts the drain, or tells how far it is.
     *
     * @param inFlight the exchanges in flight now
     * @return the state
     */
    public State start(IntSupplier inFlight) {
        synchronized (this) {
            if (!started) {
                startedNanos = System.nanoTime();
                started = true;
                if (delay.isZero()) {
                    closeNow();
                } else {
                    timer.schedule(this::closeNow, delay.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        }
        long remaining = Math.max(0, delay.toNanos() - (System.nanoTime() - startedNanos));
        return new State(listenersClosed.isDone(), listenersClosed.isDone() ? 0 : TimeUnit.NANOSECONDS.toMillis(remaining),
                inFlight.getAsInt());
    }

    private void closeNow() {
        try {
            closeConnections.run();
            closeListeners.run();
        } finally {
            listenersClosed.complete(null);
        }
    }

    /** Waits (bounded by the delay plus 5 s) until the listeners were closed, or closes them now. */
    public void awaitListenersClosed() {
        try {
            listenersClosed.get(delay.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeNow();
        } catch (ExecutionException | TimeoutException e) {
            closeNow();
        }
    }

    /**
     * @param listenersClosed whether new connections are refused already
     * @param listenersCloseInMs when they will be, otherwise
     * @param inFlight exchanges in flight
     */
    public record State(boolean listenersClosed, long listenersCloseInMs, int inFlight) {

        /** @return the admin answer's fields */
        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", "draining");
            fields.put("ready", false);
            fields.put("listeners_closed", listenersClosed);
            fields.put("listeners_close_in_ms", listenersCloseInMs);
            fields.put("in_flight", inFlight);
            return fields;
        }
    }
}
