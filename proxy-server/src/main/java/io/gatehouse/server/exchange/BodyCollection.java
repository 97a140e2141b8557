package io.gatehouse.server.exchange;

import io.gatehouse.server.exchange.ExchangeFlow.Phase;
import org.apache.hc.core5.http.HttpException;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Collecting a small request body whole before the origin is contacted, as nginx does with every
 * body ({@code proxy_request_buffering}). A body with a declared length that fits the exchange's
 * buffer (64 KiB) is collected first: the origin connection is then taken for the time of one
 * exchange and gets head and body in a row, not piece by piece as the client's reads or HTTP/2
 * DATA frames arrive. Bodies of unknown length (streams, gRPC) and larger ones go ahead at once,
 * and so do requests whose client waits for {@code 100 Continue} (it would wait for the proxy;
 * a WebSocket upgrade has no body). The wait is bounded by {@code timeouts.idle}: a body still incomplete then
 * is streamed like a large one. Guarded by the flow's lock.
 */
final class BodyCollection {

    private final ExchangeFlow flow;
    /** The bound on the wait, while forwarding waits for the body. */
    private ScheduledFuture<?> bound;

    BodyCollection(ExchangeFlow flow) {
        this.flow = flow;
    }

    /**
     * @param expectContinue whether the client waits for {@code 100 Continue} before its body
     * @return whether forwarding waits for the body; false: it starts now
     */
    boolean waitFor(boolean expectContinue) {
        long length = flow.requestBodyLength();
        if (length <= 0 || length > ExchangeServices.BODY_BUFFER || flow.request.ended() || expectContinue) {
            return false;
        }
        bound = flow.services.timer().schedule(() -> flow.ioThread.execute(this::expire),
                flow.services.config().timeouts().idle().toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /** @return whether forwarding was waiting for the body (and now no longer does) */
    boolean stop() {
        if (bound == null) {
            return false;
        }
        bound.cancel(false);
        bound = null;
        return true;
    }

    private void expire() {
        flow.lock();
        try {
            if (flow.phase == Phase.REQUEST_CHAIN) {
                flow.forwarding.bodyCollected();
            }
        } catch (IOException | HttpException | RuntimeException e) {
            flow.client.failBeforeResponse(e);
        } finally {
            flow.unlock();
        }
    }
}
