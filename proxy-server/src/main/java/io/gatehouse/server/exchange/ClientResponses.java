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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The proxy→client response of one exchange: the origin's head after the response filters, or an
 * answer the proxy or a filter makes ({@link #sendLocal}); the start of its body (observers,
 * transformers), whose bytes {@link ResponseRelay} then carries; and the abort that ends a
 * response already under way (never a truncated "success"). Guarded by the flow's lock; it runs
 * hooks only through {@link ExchangeFlow#afterUnlock}.
 */
final class ClientResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ClientResponses.class);
    private static final IOException NOT_THROUGH_FILTERS = new IOException("the proxy answered instead");
    private static final IOException NOTHING_TO_TRANSFORM = new IOException("the response has no body to transform");

    private final ExchangeFlow flow;
    private final BodyRelay body;
    private final ResponseRelay relay;
    private HttpResponse head;
    private int responseChains;
    private Response replacement;
    private BasicHttpResponse replacementHead;

    ClientResponses(ExchangeFlow flow) {
        this.flow = flow;
        this.body = flow.response;
        this.relay = new ResponseRelay(flow, this);
    }

    /** @return the proxy→client body of this exchange */
    ResponseRelay relay() {
        return relay;
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
            flow.intake.skipBody();
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
            if (!transformers.isEmpty() && flow.responseEntity != null && ResponseRelay.transformable(head.getCode())) {
                try {
                    relay.startTransforms(transformers, head);
                } catch (RuntimeException e) {
                    failBeforeResponse(e);
                    return;
                }
                sendHead(head, flow.responseEntity);
                return;
            }
            if (!transformers.isEmpty() && flow.heads.headRequest() && ResponseRelay.transformable(head.getCode())) {
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
                && ResponseRelay.transformable(local.getCode())) {
            body.count(length);
            try {
                relay.transformWhole(transformers, local, bytes.duplicate());
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
        relay.lingerIfRequestUnread();
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
            relay.lingerIfRequestUnread();
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
                relay.dropTransforms(cause); // the transformed body will not go out
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
        relay.dropTransforms(rejected);
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
        relay.abortTransforms(cause);
        flow.forwarding.releaseOrigin(false);
        relay.aborted(cause instanceof IOException ? (IOException) cause : new IOException(cause));
        if (flow.responseChannel != null) {
            flow.responseChannel.terminateExchange();
        }
        flow.finish(Outcome.Kind.ABORTED, cause);
    }

    static String reasonPhrase(int status) {
        String reason = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, null);
        return reason == null ? "Error" : reason;
    }
}
