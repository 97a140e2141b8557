package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.Outcome;
import io.gatehouse.server.exchange.ExchangeFlow.Phase;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The proxy→client body of one exchange, once its head is decided: origin bytes through the
 * response's transformers (if any) and observers, written straight into the client's channel
 * while nothing is buffered, else buffered with back-pressure on the origin; the end and its
 * trailers; the client channel's side of an abort. Guarded by the flow's lock; the head and the
 * abort itself are {@link ClientResponses}'.
 */
final class ResponseRelay {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseRelay.class);
    private static final Duration LINGER = Duration.ofSeconds(1);

    private final ExchangeFlow flow;
    private final ClientResponses responses;
    private final BodyRelay body;
    private final Transforms transforms = new Transforms();
    private IOException abortCause;

    ResponseRelay(ExchangeFlow flow, ClientResponses responses) {
        this.flow = flow;
        this.responses = responses;
        this.body = flow.response;
    }

    /** The exchange was aborted: the client's channel hears {@code cause} at its next produce. */
    void aborted(IOException cause) {
        abortCause = cause;
    }

    /**
     * A body the proxy holds whole (a local answer) goes through its transformers at once.
     *
     * @throws RuntimeException when a transformer fails
     */
    void transformWhole(List<BodyTransformer> transformers, HttpResponse response, ByteBuffer bytes) {
        startTransforms(transformers, response);
        transforms.data(bytes);
        transforms.end();
    }

    /** The transformed body will not go out (the proxy answers instead): its transformers hear {@code cause}. */
    void dropTransforms(Throwable cause) {
        transforms.drop(cause);
    }

    int available() {
        flow.lock();
        try {
            if (abortCause != null) {
                return 1;
            }
            return lastBytesAwaitOriginEnd() ? 0 : body.available();
        } finally {
            flow.unlock();
        }
    }

    void produce(DataStreamChannel channel) throws IOException {
        flow.lock();
        try {
            body.receiver(channel);
            if (abortCause != null) {
                throw abortCause;
            }
            writeBody(channel);
        } finally {
            flow.unlock();
        }
    }

    /**
     * Starts the response's transformers (every onResponse hook has completed): the head now
     * describes a body of unknown length with a changed representation, the bytes held so far go
     * through the transformers, and from here on so does every byte of the origin.
     */
    void startTransforms(List<BodyTransformer> transformers, HttpResponse response) {
        ResponseHeads.describeTransformedBody(response);
        flow.responseEntity = new BasicEntityDetails(-1, null);
        flow.exchange.setResponse(response, -1, flow.detail); // observers' length: unknown now
        transforms.start(transformers, body, flow.exchange.sealResponseObservers(), this::relayTransformed);
    }

    /** The exchange is over: transformers of a body that did not end through them hear it. */
    void abortTransforms(Throwable cause) {
        transforms.abort(cause);
    }

    /** A transformed response goes through its transformers only with a body to change, never as a part (206). */
    static boolean transformable(int status) {
        return status != 204 && status != 304 && status != 206 && status >= 200;
    }

    private void relayTransformed(ByteBuffer out) {
        body.observe(out);
        relay(out);
    }

    /** Origin body bytes, already counted: through the transformers if any, observed, relayed. */
    void originData(ByteBuffer src) {
        if (!transforms.active()) {
            body.observe(src);
            relay(src);
            return;
        }
        try {
            transforms.data(src);
        } catch (RuntimeException e) {
            LOG.warn("Exchange {}: a response body transformer failed: {}", flow.exchange.id(), e.toString());
            src.position(src.limit());
            responses.abort(e);
        }
    }

    /** The origin's body ended: the transformers emit what is left, then the end goes on. */
    void originEnd(List<? extends org.apache.hc.core5.http.Header> trailers) {
        if (transforms.active()) {
            try {
                transforms.end();
            } catch (RuntimeException e) {
                LOG.warn("Exchange {}: a response body transformer failed at the end: {}", flow.exchange.id(), e.toString());
                responses.abort(e);
                return;
            }
        }
        body.receivedEnd(trailers);
    }

    /**
     * Origin body bytes (already counted and observed): straight into the client's channel while
     * nothing is buffered (a streamed body then needs no per-exchange buffer), the rest buffered.
     * A failure of the client's channel ends this exchange here; it must not surface in the
     * origin leg's callback, whose connection may already be back in the pool.
     */
    void relay(ByteBuffer src) {
        if (!lastBytesAwaitOriginEnd()) {
            try {
                body.writeThrough(src);
            } catch (IOException e) {
                LOG.debug("Exchange {}: client channel failed: {}", flow.exchange.id(), e.toString());
                src.position(src.limit());
                responses.abort(e);
                return;
            }
        }
        if (src.hasRemaining()) {
            body.buffer(src);
        }
        pushResponseBody();
    }

    /** New response bytes or their end: into the client's channel once it is known. */
    void pushResponseBody() {
        DataStreamChannel channel = body.receiver();
        if (channel == null || body.endSent()) {
            return;
        }
        try {
            writeBody(channel);
            if (body.buffered() > 0 && !lastBytesAwaitOriginEnd()) {
                channel.requestOutput();
            }
        } catch (IOException e) {
            LOG.debug("Exchange {}: client channel failed: {}", flow.exchange.id(), e.toString());
            responses.abort(e);
        }
    }

    /**
     * Moves buffered response bytes (and the end of the body) into the client's channel. Called
     * from produce() and, once the head is out, straight from the origin's callbacks: the bytes
     * then join the head in the connection's output buffer and leave in one write.
     */
    private void writeBody(DataStreamChannel channel) throws IOException {
        if (lastBytesAwaitOriginEnd()) {
            return;
        }
        if (body.flush(channel)) {
            flow.finish(Outcome.Kind.COMPLETED, null);
            lingerIfRequestUnread();
            return;
        }
        if (flow.phase == Phase.RESPONDING) {
            body.grant();
        }
    }

    /**
     * The whole Content-Length body has arrived but the origin leg has not ended yet: the client
     * gets the last bytes only after the origin connection went back to the pool, so that its
     * next request can reuse it.
     */
    private boolean lastBytesAwaitOriginEnd() {
        EntityDetails entity = flow.responseEntity;
        return flow.forwarding.originAttached() && !body.ended() && entity != null && entity.getContentLength() >= 0
                && body.bytes() >= entity.getContentLength();
    }

    /**
     * The response went out but the client is still sending a body nobody will read: discard
     * it for a short while (so the client can read the response, as nginx's lingering close),
     * then close the connection, on the exchange's I/O thread.
     */
    void lingerIfRequestUnread() {
        if (flow.request.ended() || !flow.heads.closing()) {
            return;
        }
        ResponseChannel channel = flow.responseChannel;
        flow.services.timer().schedule(() -> flow.ioThread.execute(channel::terminateExchange), LINGER.toMillis(),
                TimeUnit.MILLISECONDS);
    }
}
