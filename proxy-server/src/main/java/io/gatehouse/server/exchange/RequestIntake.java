package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyTransformer;
import io.gatehouse.server.exchange.ExchangeFlow.Phase;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The client→proxy request body of one exchange: the body limit, the request's transformers (if
 * any) and observers, the copy kept for a retry, the buffer with back-pressure on the client,
 * and the discarding of a body that will not be forwarded. Guarded by the flow's lock.
 */
final class RequestIntake {

    private static final Logger LOG = LoggerFactory.getLogger(RequestIntake.class);

    private final ExchangeFlow flow;
    private final Transforms transforms = new Transforms();

    RequestIntake(ExchangeFlow flow) {
        this.flow = flow;
    }

    /** The exchange is over: transformers of a body that did not end through them hear it. */
    void abortTransforms(Throwable cause) {
        transforms.abort(cause);
    }

    void capacity(CapacityChannel capacity) throws IOException {
        flow.lock();
        try {
            flow.request.senderCapacity(capacity, true);
        } finally {
            flow.unlock();
        }
    }

    void data(ByteBuffer src) throws IOException {
        flow.lock();
        try {
            long total = flow.request.count(src.remaining());
            if (flow.request.discarding()) {
                src.position(src.limit());
                return;
            }
            if (total > flow.services.config().limits().body()) {
                src.position(src.limit());
                flow.client.requestTooLarge();
                return;
            }
            if (transforms.active()) {
                try {
                    transforms.data(src);
                } catch (RuntimeException e) {
                    src.position(src.limit());
                    transformFailed(e);
                    return;
                }
            } else {
                relayBytes(src);
            }
            pushBody();
        } finally {
            flow.unlock();
        }
    }

    void end(List<? extends Header> trailers) {
        flow.lock();
        try {
            if (flow.request.discarding()) {
                flow.request.markEnded();
                return;
            }
            if (transforms.active()) {
                try {
                    transforms.end();
                } catch (RuntimeException e) {
                    transformFailed(e);
                    return;
                }
            }
            flow.request.receivedEnd(trailers);
            flow.forwarding.bodyCollected();
            pushBody();
        } catch (IOException | HttpException | RuntimeException e) {
            flow.client.failBeforeResponse(e);
        } finally {
            flow.unlock();
        }
    }

    /** A request body transformer failed: the origin never gets a whole request; 500, or an abort after the head. */
    private void transformFailed(RuntimeException cause) {
        if (!(cause instanceof io.gatehouse.api.BodyRejectedException)) {
            LOG.warn("Exchange {}: a request body transformer failed: {}", flow.exchange.id(), cause.toString());
        }
        transforms.abort(cause);
        flow.forwarding.releaseOrigin(false);
        discardBody();
        flow.client.failBeforeResponse(cause);
    }

    /** Request body bytes as they go to the origin: observed, kept for a retry, buffered. */
    private void relayBytes(ByteBuffer src) {
        flow.request.observe(src);
        flow.forwarding.keepForReplay(src);
        flow.request.buffer(src);
    }

    /**
     * Starts the request's transformers (every onRequest hook has completed): the origin gets a
     * body of unknown length, chunked; the bytes held so far go through the transformers first.
     */
    void startTransforms(List<BodyTransformer> transformers) {
        flow.clientRequest.removeHeaders("Content-Length");
        flow.clientRequest.removeHeaders("Content-MD5");
        flow.requestEntity = new BasicEntityDetails(-1, null);
        transforms.start(transformers, flow.request, flow.exchange.sealRequestObservers(), this::relayBytes);
    }

    /** The chunked request body broke off with bad framing: 400 and close, the origin never gets a whole request. */
    void malformed(IOException cause) {
        flow.lock();
        try {
            if (flow.phase == Phase.DONE || flow.exchange == null) {
                return;
            }
            LOG.debug("Exchange {}: malformed chunked request body: {}", flow.exchange.id(), cause.toString());
            flow.forwarding.releaseOrigin(false);
            discardBody();
            if (!flow.client.headSent()) {
                flow.heads.closeAfterResponse();
                flow.client.answer(LocalResponses.MALFORMED_REQUEST_BODY, false);
            } else {
                flow.client.abort(cause);
            }
        } catch (IOException | HttpException | RuntimeException e) {
            flow.client.abort(e);
        } finally {
            flow.unlock();
        }
    }

    /**
     * New request bytes or their end: the origin leg is asked for output and writes them in its
     * own produce(). Not written from here: an origin that answers early or resets must end its
     * own leg (502, retry, or discarding the rest of the body), not fail the client's callback.
     */
    private void pushBody() {
        if (flow.request.receiver() != null && !flow.request.endSent()) {
            flow.request.receiver().requestOutput();
        }
    }

    /**
     * The rest of the client's body will not be forwarded: keep reading it (so the client can
     * read the response) and close the connection once the response is out.
     */
    void discardBody() {
        if (!flow.request.ended()) {
            flow.heads.closeAfterResponse();
        }
        skipBody();
    }

    /**
     * The rest of the client's body will not be forwarded: read and drop it. The connection stays
     * open unless the caller decides otherwise (a small rest is cheaper to read than a reconnect).
     */
    void skipBody() {
        try {
            flow.request.discard();
        } catch (IOException e) {
            LOG.debug("Exchange {}: cannot reopen the client's window: {}", flow.exchange.id(), e.toString());
        }
    }
}
