package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;
import org.apache.hc.core5.http.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The observers of one body, and the contract they are promised: {@code onData}* from the
 * body's first byte, then exactly one of {@code onEnd} or {@code onAbort}. Delivery starts when
 * the chain phase that could register observers has completed ({@link #start}); bytes that
 * arrived before are still in the relay's bounded buffer (their credit is held) and are delivered
 * first. An observer that throws is logged and keeps its place. Guarded by the exchange's lock.
 */
final class BodyObservers {

    private static final Logger LOG = LoggerFactory.getLogger(BodyObservers.class);

    private List<BodyObserver> observers = List.of();
    private boolean started;
    private boolean terminated;

    /** @return whether delivery has started */
    boolean started() {
        return started;
    }

    /**
     * Starts delivery.
     *
     * @param registered the observers, in registration order
     * @param soFar every body byte received so far (read-only view), delivered first
     */
    void start(List<BodyObserver> registered, ByteBuffer soFar) {
        if (started) {
            return;
        }
        started = true;
        observers = registered;
        if (soFar.hasRemaining()) {
            data(soFar);
        }
    }

    /** @param data body bytes, delivered to every observer if delivery has started */
    void data(ByteBuffer data) {
        if (!started || terminated || observers.isEmpty()) {
            return;
        }
        for (BodyObserver observer : observers) {
            try {
                observer.onData(data.asReadOnlyBuffer());
            } catch (RuntimeException e) {
                LOG.warn("Body observer failed in onData: {}", e.toString());
            }
        }
    }

    /** @param trailers the body's trailers, null or empty when none */
    void end(List<? extends Header> trailers) {
        if (!started || terminated) {
            return;
        }
        terminated = true;
        if (observers.isEmpty()) {
            return;
        }
        HttpFields fields = toFields(trailers);
        for (BodyObserver observer : observers) {
            try {
                observer.onEnd(fields);
            } catch (RuntimeException e) {
                LOG.warn("Body observer failed in onEnd: {}", e.toString());
            }
        }
    }

    /**
     * The body will not complete. Also reaches observers whose delivery never started, so every
     * registered observer hears exactly one ending.
     *
     * @param registered the observers, used when delivery never started
     * @param cause why
     */
    void abort(List<BodyObserver> registered, Throwable cause) {
        if (terminated) {
            return;
        }
        terminated = true;
        List<BodyObserver> targets = started ? observers : registered;
        for (BodyObserver observer : targets) {
            try {
                observer.onAbort(cause);
            } catch (RuntimeException e) {
                LOG.warn("Body observer failed in onAbort: {}", e.toString());
            }
        }
    }

    private static HttpFields toFields(List<? extends Header> trailers) {
        if (trailers == null || trailers.isEmpty()) {
            return HttpFields.empty();
        }
        MutableHttpFields copy = MutableHttpFields.create();
        for (Header trailer : trailers) {
            copy.add(trailer.getName(), trailer.getValue());
        }
        return copy.toImmutable();
    }
}
