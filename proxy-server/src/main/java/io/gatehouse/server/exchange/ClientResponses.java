package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.BodyRejectedException;
import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Response;
import io.gatehouse.server.exchange.ExchangeFlow.Phase;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The proxy→client response of one exchange: the origin's head after the response filters, or an
 * answer the proxy or a filter makes ({@link #sendLocal}); its body, written straight into the
 * client's channel while nothing is buffered; and the abort that ends a response already under
 * way (never a truncated "success"). Guarded by the flow's lock; it runs hooks only through
 * {@link ExchangeFlow#afterUnlock}.
 */
final class ClientResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ClientResponses.class);
    private static final Duration LINGER = Duration.ofSeconds(1);
    private static final IOException NOT_THROUGH_FILTERS = new IOException("the proxy answered instead");
    private static final IOException NOTHING_TO_TRANSFORM = new IOException("the response has no body to transform");

    private final ExchangeFlow flow;
    private final BodyRelay body;
    private HttpResponse head;
    private IOException abortCause;
    private int responseChains;
    private Response replacement;
    private BasicHttpResponse replacementHead;
    private final Transforms transforms = new Transforms();

    ClientResponses(ExchangeFlow flow) {
        this.flow = flow;
        this.body = flow.response;
    }

    /** @return the status sent to the client, 0 when none was */
    int status() {
        return head == null ? 0 : head.getCode();
    }

    /** @return whether the proxy→client head has gone out (or the exchange is over) */
    boolean headSent() {
        return flow.phase == Phase.RESPONDING || flow.phase == Phase.DONE;
    }

    /** @param originHead the origin's head as it will be shown to the response filters */
    void originHead(HttpResponse originHead) {
        head = originHead;
    }

    /** @return a token for a new response chain: only the latest chain's answer counts */
    int newResponseChain() {
        return ++responseChains;
    }

    // ---------------------------------------------------------------- answers of the proxy

    /** Answers with a table entry, recording its detail code. */
    void answer(LocalResponses entry, boolean throughFilters) throws HttpException, IOException {
        flow.detail = Optional.of(entry.detail());
        sendLocal(entry.response(), throughFilters);
    }

    /** {@link #answer}, aborting the exchange when even that fails. */
    void answerQuietly(LocalResponses entry, boolean throughFilters) {
        try {
            answer(entry, throughFilters);
        } catch (IOException | HttpException e) {
            abort(e);
        }
    }

    /** Answers the exchange locally, through the response filters when {@code throughFilters}. */
    void sendLocal(Response answer, boolean throughFilters) throws HttpException, IOException {
        flow.forwarding.releaseOrigin(false);
        if (!flow.request.ended()) {
            long length = flow.requestBodyLength();
            if (answer.status() == 413 || length < 0 || length - flow.request.bytes() > ExchangeServices.BODY_BUFFER) {
                flow.heads.closeAfterResponse(); // too much left to read: close instead
            }
            flow.skipRequestBody();
        }
        if (!throughFilters) {
            sendWithoutFilters(answer);
            return;
        }
        BasicHttpResponse local = flow.heads.local(answer);
        head = local;
        flow.exchange.setResponse(local, answer.bodyLength(), flow.detail);
        flow.phase = Phase.RESPONSE_CHAIN;
        ByteBuffer bytes = answer.bodyBuffer(); // read-only and shared: a cached body is not copied per answer
        int token = newResponseChain();
        flow.afterUnlock(() -> flow.chain.runResponse(result -> onLocalResponseChainDone(result, local, bytes, token)));
    }

    /** An {@code onResponse} hook replaced the response: earlier filters edit the replacement's head. */
    void installReplacement(Response response) {
        flow.lock();
        try {
            BasicHttpResponse local = flow.heads.local(response);
            flow.exchange.setResponse(local, response.bodyLength(), Optional.empty());
            replacement = response;
            replacementHead = local;
        } finally {
            flow.unlock();
        }
    }

    void onResponseChainDone(FilterResult result, int token) {
        flow.lock();
        try {
            if (flow.phase == Phase.DONE || token != responseChains) {
                return;
            }
            Optional<Response> replaced = result.response();
            if (replaced.isPresent()) {
                flow.forwarding.releaseOrigin(false);
                body.clear();
                flow.detail = LocalResponses.of(replaced.get()).map(LocalResponses::detail);
                sendReplacement(replaced.get());
                return;
            }
            // every onResponse hook has completed: response body observers see the body from byte 0
            List<BodyTransformer> transformers = flow.exchange.sealResponseTransformers();
            if (!transformers.isEmpty() && flow.responseEntity != null && transformable(head.getCode())) {
                try {
                    startTransforms(transformers, head);
                } catch (RuntimeException e) {
                    failBeforeResponse(e);
                    return;
                }
                sendHead(head, flow.responseEntity);
                return;
            }
            if (!transformers.isEmpty() && flow.heads.headRequest() && transformable(head.getCode())) {
                // the head a GET would get: the transformed body's length is unknown, its validators weak
                ResponseHeads.describeTransformedBody(head);
                flow.heads.originHeadLength(null);
            }
            Transforms.abandon(transformers, NOTHING_TO_TRANSFORM);
            body.startObservers(flow.exchange.sealResponseObservers());
            sendHead(head, flow.responseEntity);
        } catch (IOException | HttpException | RuntimeException e) {
            abort(e);
        } finally {
            flow.unlock();
        }
    }

    private void onLocalResponseChainDone(FilterResult result, BasicHttpResponse local, ByteBuffer bytes, int token) {
        flow.lock();
        try {
            if (flow.phase == Phase.DONE || token != responseChains) {
                return;
            }
            if (result.response().isPresent()) {
                sendReplacement(result.response().get());
            } else {
                writeLocal(local, bytes, true);
            }
        } catch (IOException | HttpException | RuntimeException e) {
            abort(e);
        } finally {
            flow.unlock();
        }
    }

    /** Sends the chain's final answer: the installed replacement as the filters left it, or an error. */
    private void sendReplacement(Response response) throws HttpException, IOException {
        if (response == replacement && replacementHead != null) {
            writeLocal(replacementHead, response.bodyBuffer(), true);
        } else {
            sendWithoutFilters(response);
        }
    }

    private void sendWithoutFilters(Response answer) throws HttpException, IOException {
        newResponseChain(); // an answer without filters: pending response chains no longer count
        BasicHttpResponse local = flow.heads.local(answer);
        flow.exchange.setResponse(local, answer.bodyLength(), flow.detail);
        writeLocal(local, answer.bodyBuffer(), false);
    }

    /**
     * Sends a head the proxy made and its body. Response body observers see this body when the
     * response filters saw this head ({@code observed}); otherwise the body they were promised
     * will not come, and they hear onAbort.
     */
    private void writeLocal(BasicHttpResponse local, ByteBuffer bytes, boolean observed) throws HttpException, IOException {
        head = local;
        body.reset();
        boolean bodyAllowed = local.getCode() != 204 && local.getCode() != 304;
        int length = bytes.remaining();
        List<BodyTransformer> transformers = flow.exchange.sealResponseTransformers();
        if (observed && !transformers.isEmpty() && bodyAllowed && length > 0 && !flow.heads.headRequest()
                && transformable(local.getCode())) {
            body.count(length);
            try {
                startTransforms(transformers, local);
                transforms.data(bytes.duplicate());
                transforms.end();
            } catch (RuntimeException e) {
                failBeforeResponse(e);
                return;
            }
            body.receivedEnd(null);
            sendHead(local, flow.responseEntity);
            return;
        }
        Transforms.abandon(transformers, observed ? NOTHING_TO_TRANSFORM : NOT_THROUGH_FILTERS);
        List<BodyObserver> observers = flow.exchange.sealResponseObservers();
        if (observed) {
            body.startObservers(observers);
        } else {
            body.abortObservers(observers, NOT_THROUGH_FILTERS);
        }
        if (bodyAllowed) {
            local.setHeader("Content-Length", Integer.toString(length));
        }
        if (length > 0 && bodyAllowed && !flow.heads.headRequest()) {
            body.count(length);
            body.observe(bytes.duplicate());
            body.lend(bytes.duplicate());
            body.receivedEnd(null);
            sendHead(local, new BasicEntityDetails(length, null));
            return;
        }
        body.receivedEnd(null);
        flow.heads.frameWithoutBody(local, bodyAllowed ? length : -1);
        flow.phase = Phase.RESPONDING;
        flow.responseChannel.sendResponse(local, null, flow.clientContext);
        body.markEndSent();
        flow.finish(Outcome.Kind.COMPLETED, null);
        lingerIfRequestUnread();
    }

    private void sendHead(HttpResponse response, EntityDetails entity) throws HttpException, IOException {
        flow.phase = Phase.RESPONDING;
        EntityDetails outgoing = flow.heads.frame(response, entity, !flow.request.ended() && flow.request.discarding());
        if (outgoing == null) {
            body.markEnded();
        }
        flow.responseChannel.sendResponse(response, outgoing, flow.clientContext);
        if (outgoing == null) {
            body.markEndSent();
            flow.finish(Outcome.Kind.COMPLETED, null);
            lingerIfRequestUnread();
        }
    }

    /** Answers after an internal failure: 500 while no head went out, else an abort. */
    void failBeforeResponse(Exception cause) {
        if (cause instanceof BodyRejectedException rejected && !headSent()) {
            refuseBody(rejected);
            return;
        }
        LOG.error("Exchange {} failed: {}", flow.exchange == null ? "?" : flow.exchange.id(), cause.toString(), cause);
        try {
            if (!headSent()) {
                transforms.drop(cause); // the transformed body will not go out
                flow.heads.closeAfterResponse();
                flow.detail = Optional.of(LocalResponses.INTERNAL_ERROR.detail());
                sendWithoutFilters(LocalResponses.INTERNAL_ERROR.response());
                return;
            }
        } catch (IOException | HttpException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        abort(cause);
    }

    /** A body transformer refused the body: its status and message, and the connection closes. */
    private void refuseBody(BodyRejectedException rejected) {
        LOG.debug("Exchange {}: a body transformer refused the body: {} {}", flow.exchange.id(), rejected.status(), rejected.getMessage());
        transforms.drop(rejected);
        try {
            flow.heads.closeAfterResponse();
            flow.detail = Optional.of("body_rejected");
            sendWithoutFilters(Response.text(rejected.status(), rejected.getMessage()));
        } catch (IOException | HttpException | RuntimeException e) {
            abort(e);
        }
    }

    /** The client's body passed {@code server.limits.body}: 413 while no head went out, else an abort. */
    void requestTooLarge() throws IOException {
        if (!headSent()) {
            flow.heads.closeAfterResponse();
            try {
                answer(LocalResponses.REQUEST_BODY_TOO_LARGE, false);
            } catch (HttpException e) {
                abort(e);
            }
        } else {
            abort(new IOException("request body over the limit"));
        }
    }

    /** Aborts the client connection: after the response head, never a truncated "success". */
    void abort(Exception cause) {
        transforms.abort(cause);
        flow.forwarding.releaseOrigin(false);
        abortCause = cause instanceof IOException ? (IOException) cause : new IOException(cause);
        if (flow.responseChannel != null) {
            flow.responseChannel.terminateExchange();
        }
        flow.finish(Outcome.Kind.ABORTED, cause);
    }

    // ---------------------------------------------------------------- proxy→client body

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
    private void startTransforms(List<BodyTransformer> transformers, HttpResponse response) {
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
    private static boolean transformable(int status) {
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
            abort(e);
        }
    }

    /** The origin's body ended: the transformers emit what is left, then the end goes on. */
    void originEnd(List<? extends org.apache.hc.core5.http.Header> trailers) {
        if (transforms.active()) {
            try {
                transforms.end();
            } catch (RuntimeException e) {
                LOG.warn("Exchange {}: a response body transformer failed at the end: {}", flow.exchange.id(), e.toString());
                abort(e);
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
                abort(e);
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
            abort(e);
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
    private void lingerIfRequestUnread() {
        if (flow.request.ended() || !flow.heads.closing()) {
            return;
        }
        ResponseChannel channel = flow.responseChannel;
        flow.services.timer().schedule(() -> flow.ioThread.execute(channel::terminateExchange), LINGER.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    static String reasonPhrase(int status) {
        String reason = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, null);
        return reason == null ? "Error" : reason;
    }
}
