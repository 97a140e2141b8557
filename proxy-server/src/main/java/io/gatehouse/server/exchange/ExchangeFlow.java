package io.gatehouse.server.exchange;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Response;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.server.chain.ChainExecution;
import io.gatehouse.server.chain.ExchangeOutcome;
import io.gatehouse.server.upstream.UpstreamAttempts;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exchange from the request head to the outcome: the phase it is in, and the only place that
 * decides what happens next. {@link ClientLeg} (client→proxy request, proxy→client response) and
 * {@link OriginLeg} (proxy→origin request, origin→proxy response) call in; the two {@link
 * BodyRelay}s move the bodies, {@link UpstreamAttempts} reaches the upstream, {@link
 * ResponseHeads} frames what the client gets, and {@link ClientResponses} sends it.
 *
 * <p>The rules of the engine:
 * <ol>
 *   <li>One lock per exchange, held only by this class and {@link ClientResponses}; the helpers
 *       are guarded by it and never lock.</li>
 *   <li>Plugin hooks ({@code onRequest}, {@code onResponse}, {@code onComplete}) never run under
 *       the lock: a step that needs them defers them to when the lock is released. Only the
 *       documented synchronous callbacks run under it: body observers and upstream selectors.</li>
 *   <li>Timers and asynchronous completions never do the work themselves: they hand it to the
 *       exchange's I/O thread ({@code ioThread}), which is the client connection's. Origin
 *       connections are leased on that thread, so both legs of an exchange share it and the lock
 *       is not contended.</li>
 * </ol>
 */
final class ExchangeFlow {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeFlow.class);

    /** The phases of an exchange, in order; RETRY_WAIT returns to CONNECTING. */
    enum Phase { REQUEST_CHAIN, CONNECTING, FORWARDING, RETRY_WAIT, RESPONSE_CHAIN, RESPONDING, DONE }

    final ExchangeServices services;
    final Executor ioThread;
    final BodyRelay request = new BodyRelay(ExchangeServices.BODY_BUFFER, ExchangeServices.BODY_BUFFER);
    final BodyRelay response = new BodyRelay(ExchangeServices.BODY_BUFFER, ExchangeServices.BODY_BUFFER);
    final ClientResponses client = new ClientResponses(this);
    private final ReentrantLock lock = new ReentrantLock();
    private Runnable afterUnlock;

    Phase phase = Phase.REQUEST_CHAIN;
    private boolean started;
    HttpRequest clientRequest;
    ResponseChannel responseChannel;
    HttpContext clientContext;
    private EntityDetails requestEntity;
    ProxyExchange exchange;
    ChainExecution chain;
    ResponseHeads heads;
    private boolean filtered;
    private boolean expectContinue;
    private UpstreamAttempts attempts;
    private OriginLeg origin;
    private boolean requestHeadProduced;
    private boolean interimRelayed;
    EntityDetails responseEntity;
    Optional<String> detail = Optional.empty();

    ExchangeFlow(ExchangeServices services, Executor ioThread) {
        this.services = services;
        this.ioThread = ioThread;
    }

    // ---------------------------------------------------------------- the lock

    void lock() {
        lock.lock();
    }

    /** Releases the lock; when it is fully released, runs the hooks a locked step deferred. */
    void unlock() {
        Runnable deferred = null;
        if (lock.getHoldCount() == 1) {
            deferred = afterUnlock;
            afterUnlock = null;
        }
        lock.unlock();
        if (deferred != null) {
            deferred.run();
        }
    }

    /** Runs {@code hooks} once the lock is released (plugin hooks never run under it). */
    void afterUnlock(Runnable hooks) {
        Runnable earlier = afterUnlock;
        afterUnlock = earlier == null ? hooks : () -> {
            earlier.run();
            hooks.run();
        };
    }

    // ---------------------------------------------------------------- client→proxy request head

    void handleRequest(HttpRequest head, EntityDetails entity, ResponseChannel channel, HttpContext context)
            throws HttpException, IOException {
        lock();
        try {
            started = true;
            services.exchangeStarted();
            clientRequest = head;
            responseChannel = channel;
            clientContext = context;
            requestEntity = entity;
            if (entity == null) {
                request.markEnded();
            }
            exchange = ProxyExchange.of(head, context, entity);
            filtered = services.chain().size() > 0;
            chain = new ChainExecution(services.chain(), exchange, services.timer(), services.config().timeouts().filter(),
                    ioThread, client::installReplacement);
            heads = new ResponseHeads(head, filtered);
            if (head instanceof RejectedRequest) {
                RejectedRequest rejected = (RejectedRequest) head;
                heads.closeAfterResponse();
                detail = Optional.of(LocalResponses.REQUEST_HEAD_REJECTED.detail());
                client.sendLocal(LocalResponses.rejectedHead(rejected.status(), ClientResponses.reasonPhrase(rejected.status()),
                        rejected.reason()), false);
                return;
            }
            RequestAdmission.Verdict verdict = RequestAdmission.check(head, entity, services.config().limits().body());
            if (verdict.refusal().isPresent()) {
                heads.closeAfterResponse();
                client.answer(verdict.refusal().get(), false);
                return;
            }
            expectContinue = verdict.expectContinue();
            if (services.draining() || ProxyHeaders.wantsClose(head)) {
                heads.closeAfterResponse();
            }
            ProxyHeaders.prepareRequest(head, exchange.clientAddress(), "http", services.config().forwarding());
            ProxyHeaders.addVia(head, head.getVersion(), services.config().forwarding().via());
        } finally {
            unlock();
        }
        chain.runRequest(this::onRequestChainDone);
    }

    private void onRequestChainDone(FilterResult result) {
        lock();
        try {
            if (phase != Phase.REQUEST_CHAIN) {
                return;
            }
            // every onRequest hook has completed: request body observers see the body from byte 0
            request.startObservers(exchange.sealRequestObservers());
            Optional<Response> shortCircuit = result.response();
            if (shortCircuit.isPresent()) {
                detail = LocalResponses.of(shortCircuit.get()).map(LocalResponses::detail);
                client.sendLocal(shortCircuit.get(), true);
                return;
            }
            startFirstAttempt();
        } catch (IOException | HttpException | RuntimeException e) {
            client.failBeforeResponse(e);
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- upstream attempts

    private void startFirstAttempt() throws IOException, HttpException {
        Optional<UpstreamSelector> chosen = exchange.upstreamSelector();
        if (chosen.isEmpty() && exchange.cluster().isPresent()) {
            detail = Optional.of(LocalResponses.NO_CLUSTER.detail());
            client.sendLocal(LocalResponses.NO_CLUSTER.response(exchange.cluster().get()), true);
            return;
        }
        UpstreamSelector selector = chosen.or(services::fallbackSelector).orElse(null);
        if (selector == null) {
            client.answer(LocalResponses.NO_UPSTREAM, true);
            return;
        }
        attempts = new UpstreamAttempts(selector);
        if (hasRequestBody() && isIdempotent(clientRequest.getMethod())) {
            // a non-idempotent request is never resent once its head left: no copy needed
            attempts.startReplayCopy(requestEntity.getContentLength(), request.copy());
        }
        startAttempt();
    }

    private void startAttempt() throws IOException, HttpException {
        Optional<Upstream> choice = attempts.next(exchange);
        if (choice.isEmpty()) {
            client.answer(LocalResponses.NO_HEALTHY_UPSTREAM, true);
            return;
        }
        if (expectContinue && acceptsInterimResponses()) {
            expectContinue = false; // once, whatever the number of attempts
            responseChannel.sendInformation(new BasicHttpResponse(100), clientContext);
        }
        phase = Phase.CONNECTING;
        requestHeadProduced = false; // this attempt has sent nothing yet
        if (!services.origins().isOpen()) {
            heads.closeAfterResponse();
            client.answer(LocalResponses.SHUTTING_DOWN, true);
            return;
        }
        Timeout silence = Timeout.of(exchange.responseTimeout().orElse(services.config().timeouts().response()));
        attempts.lease(services.origins(), services.connectTimeout(), silence, ioThread, new FutureCallback<>() {
            @Override
            public void completed(AsyncClientEndpoint endpoint) {
                onConnected(endpoint);
            }

            @Override
            public void failed(Exception cause) {
                onConnectFailed(cause);
            }

            @Override
            public void cancelled() {
                onConnectFailed(new ConnectionClosedException("connect cancelled"));
            }
        });
    }

    private void onConnected(AsyncClientEndpoint endpoint) {
        lock();
        try {
            if (phase != Phase.CONNECTING) {
                endpoint.releaseAndReuse(); // the exchange ended meanwhile; the connection is unused
                return;
            }
            origin = new OriginLeg(this);
            phase = Phase.FORWARDING;
            attempts.connected(endpoint, origin);
        } finally {
            unlock();
        }
    }

    private void onConnectFailed(Exception cause) {
        lock();
        try {
            if (phase != Phase.CONNECTING) {
                return;
            }
            boolean timeout = isTimeout(cause);
            AttemptResult result = attempts.report(timeout ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.CONNECT_FAILURE, 0);
            if (retryIfWanted(result, false)) {
                return;
            }
            LOG.debug("Exchange {}: connect to {} failed: {}", exchange.id(), attempts.upstream().orElse(null), cause.toString());
            heads.closeAfterResponse();
            client.answer(timeout ? LocalResponses.UPSTREAM_CONNECT_TIMEOUT : LocalResponses.UPSTREAM_CONNECT_FAILURE, true);
        } catch (IOException | HttpException e) {
            client.abort(e);
        } finally {
            unlock();
        }
    }

    /**
     * Asks for the one retry decision after {@code result}; on a retry, detaches the failed
     * attempt, puts the kept body back and starts the next attempt now or, after a delay, on this
     * exchange's I/O thread.
     *
     * @return whether the exchange is taken care of: a retry was started or scheduled, or
     *     starting it failed and the client was answered
     */
    private boolean retryIfWanted(AttemptResult result, boolean staleConnection) {
        try {
            Optional<Duration> delay = attempts.retryDelay(exchange, result, canResend(), staleConnection);
            if (delay.isEmpty()) {
                return false;
            }
            LOG.debug("Exchange {}: attempt {} to {} ended with {}; retrying in {}", exchange.id(), attempts.attempt(),
                    attempts.upstream().orElse(null), result, delay.get());
            boolean bodyLeft = requestHeadProduced && hasRequestBody();
            origin = null;
            request.receiver(null);
            response.senderGone();
            attempts.release(false);
            if (bodyLeft) {
                request.refill(attempts.replayBytes(), attempts.replayLength());
            }
            phase = Phase.RETRY_WAIT;
            long millis = delay.get().toMillis();
            if (millis <= 0) {
                startAttempt();
            } else {
                services.timer().schedule(() -> ioThread.execute(this::retryNow), millis, TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (IOException | HttpException | RuntimeException e) {
            client.failBeforeResponse(e);
            return true;
        }
    }

    private void retryNow() {
        lock();
        try {
            if (phase == Phase.RETRY_WAIT) {
                startAttempt();
            }
        } catch (IOException | HttpException | RuntimeException e) {
            client.failBeforeResponse(e);
        } finally {
            unlock();
        }
    }

    /**
     * Whether the request can go out again: nothing of the response reached the client, and the
     * request never left the proxy, or it is idempotent and its body (if any) is held whole.
     */
    private boolean canResend() {
        if (interimRelayed || services.draining() || request.discarding() || phase == Phase.DONE) {
            return false;
        }
        if (!requestHeadProduced) {
            return true;
        }
        return isIdempotent(clientRequest.getMethod()) && (!hasRequestBody() || attempts.replayWhole());
    }

    /**
     * Whether a failed attempt may have met a stale pooled connection and is safe to repeat at
     * once: nothing of the response arrived, the request has no body to replay, and either it
     * never left the proxy or it was idempotent and went out on a pooled connection.
     */
    private boolean staleConnection() {
        if (services.draining() || hasRequestBody() || interimRelayed) {
            return false;
        }
        return !requestHeadProduced || (attempts.reusedConnection() && isIdempotent(clientRequest.getMethod()));
    }

    // ---------------------------------------------------------------- origin leg

    /** @return the proxy→origin head of the attempt, or empty when {@code leg} is no longer current */
    Optional<HttpRequest> originRequest(OriginLeg leg) {
        lock();
        try {
            if (origin != leg) {
                return Optional.empty();
            }
            requestHeadProduced = true;
            return Optional.of(OriginRequests.build(clientRequest, attempts.upstream().orElseThrow(), requestEntity, filtered,
                    exchange.originHost(), services.config().forwarding().preserveHost()));
        } finally {
            unlock();
        }
    }

    /** @return the details of the body that goes to the origin, null when none */
    EntityDetails originRequestEntity() {
        return hasRequestBody() ? new BasicEntityDetails(requestEntity.getContentLength(), null) : null;
    }

    int originAvailable(OriginLeg leg) {
        lock();
        try {
            return origin == leg ? request.available() : 0;
        } finally {
            unlock();
        }
    }

    void originProduce(OriginLeg leg, org.apache.hc.core5.http.nio.DataStreamChannel channel) throws IOException {
        lock();
        try {
            if (origin == leg) {
                request.receiver(channel);
                request.flush(channel);
                request.grant();
            }
        } finally {
            unlock();
        }
    }

    void originInformation(OriginLeg leg, HttpResponse interim) throws HttpException, IOException {
        lock();
        try {
            if (origin != leg || phase != Phase.FORWARDING || interim.getCode() == 101 || !acceptsInterimResponses()) {
                return;
            }
            BasicHttpResponse relayed = new BasicHttpResponse(interim.getCode());
            relayed.setHeaders(interim.getHeaders());
            ProxyHeaders.stripHopByHop(relayed);
            interimRelayed = true;
            responseChannel.sendInformation(relayed, clientContext);
        } finally {
            unlock();
        }
    }

    void originResponse(OriginLeg leg, HttpResponse head, EntityDetails entity) throws HttpException, IOException {
        int token;
        lock();
        try {
            if (origin != leg || phase != Phase.FORWARDING) {
                return;
            }
            if (ProxyHeaders.hasForbiddenCharacters(head)) {
                attempts.report(AttemptResult.Kind.RESET, 0);
                releaseOrigin(false);
                heads.closeAfterResponse();
                client.answer(LocalResponses.UPSTREAM_INVALID_HEADER, true);
                return;
            }
            if (retryIfWanted(attempts.report(AttemptResult.Kind.RESPONSE, head.getCode()), false)) {
                return;
            }
            // A copy: HttpCore still reads the origin's head (framing, Connection) to decide reuse.
            BasicHttpResponse outgoing = new BasicHttpResponse(head.getCode(), head.getReasonPhrase());
            outgoing.setHeaders(head.getHeaders());
            ProxyHeaders.stripHopByHop(outgoing);
            ProxyHeaders.addVia(outgoing, head.getVersion(), services.config().forwarding().via());
            client.originHead(outgoing);
            responseEntity = entity;
            if (entity == null) {
                response.receivedEnd(null);
                if (heads.headRequest() && head.getFirstHeader("Content-Length") != null) {
                    String length = head.getFirstHeader("Content-Length").getValue();
                    outgoing.setHeader("Content-Length", length);
                    heads.originHeadLength(length);
                }
                releaseOrigin(requestFullySent());
            }
            exchange.setResponse(outgoing);
            phase = Phase.RESPONSE_CHAIN;
            token = client.newResponseChain();
        } finally {
            unlock();
        }
        chain.runResponse(result -> client.onResponseChainDone(result, token));
    }

    void originCapacity(OriginLeg leg, org.apache.hc.core5.http.nio.CapacityChannel capacity) throws IOException {
        lock();
        try {
            if (origin == leg) {
                response.senderCapacity(capacity, response.receiver() != null || response.buffered() == 0);
            }
        } finally {
            unlock();
        }
    }

    void originData(OriginLeg leg, ByteBuffer src) {
        lock();
        try {
            if (origin != leg || phase == Phase.DONE) {
                src.position(src.limit());
                return;
            }
            response.count(src.remaining());
            response.observe(src);
            client.relay(src);
        } finally {
            unlock();
        }
    }

    void originEnd(OriginLeg leg, java.util.List<? extends org.apache.hc.core5.http.Header> trailers) {
        lock();
        try {
            if (origin == leg) {
                response.receivedEnd(trailers);
                releaseOrigin(requestFullySent());
                client.pushResponseBody();
            }
        } finally {
            unlock();
        }
    }

    void originFailed(OriginLeg leg, Exception cause) {
        lock();
        try {
            if (origin == leg) {
                originFailed(cause);
            }
        } finally {
            unlock();
        }
    }

    void originReleased(OriginLeg leg) {
        lock();
        try {
            if (origin == leg && !response.ended() && phase != Phase.DONE) {
                originFailed(new ConnectionClosedException("upstream connection closed"));
            }
        } finally {
            unlock();
        }
    }

    private void originFailed(Exception cause) {
        if (phase == Phase.FORWARDING) {
            AttemptResult result = attempts.report(isTimeout(cause) ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.RESET, 0);
            if (retryIfWanted(result, staleConnection())) {
                return;
            }
            releaseOrigin(false);
            LOG.debug("Exchange {}: upstream {} failed before the response: {}", exchange.id(), attempts.upstream().orElse(null),
                    cause.toString());
            heads.closeAfterResponse();
            client.answerQuietly(isTimeout(cause) ? LocalResponses.UPSTREAM_RESPONSE_TIMEOUT : LocalResponses.UPSTREAM_RESET, true);
            return;
        }
        releaseOrigin(false);
        if (phase == Phase.RESPONSE_CHAIN && !response.ended()) {
            // the head has not gone to the client yet: it can still get a clean 502
            LOG.debug("Exchange {}: upstream failed before its head was relayed: {}", exchange.id(), cause.toString());
            heads.closeAfterResponse();
            client.answerQuietly(LocalResponses.UPSTREAM_FAILED_WHILE_RESPONDING, false);
        } else if (phase == Phase.RESPONDING && !response.ended()) {
            LOG.debug("Exchange {}: upstream failed mid-response: {}", exchange.id(), cause.toString());
            client.abort(cause);
        }
    }

    /**
     * Detaches the origin leg and gives its connection back. When the request body was not
     * fully sent, the rest of it is discarded (the client may still read the response).
     */
    void releaseOrigin(boolean reusable) {
        origin = null;
        request.receiver(null);
        if (!requestFullySent() && phase != Phase.REQUEST_CHAIN && phase != Phase.CONNECTING) {
            discardRequestBody();
        }
        if (attempts != null) {
            attempts.release(reusable);
        }
    }

    /** @return whether an origin leg is attached */
    boolean originAttached() {
        return origin != null;
    }

    // ---------------------------------------------------------------- client→proxy request body

    void clientCapacity(org.apache.hc.core5.http.nio.CapacityChannel capacity) throws IOException {
        lock();
        try {
            request.senderCapacity(capacity, true);
        } finally {
            unlock();
        }
    }

    void clientData(ByteBuffer src) throws IOException {
        lock();
        try {
            long total = request.count(src.remaining());
            if (request.discarding()) {
                src.position(src.limit());
                return;
            }
            if (total > services.config().limits().body()) {
                src.position(src.limit());
                client.requestTooLarge();
                return;
            }
            request.observe(src);
            if (attempts != null && attempts.keepsReplayCopy()) {
                attempts.keepForReplay(src);
            }
            request.buffer(src);
            pushRequestBody();
        } finally {
            unlock();
        }
    }

    void clientEnd(java.util.List<? extends org.apache.hc.core5.http.Header> trailers) {
        lock();
        try {
            if (request.discarding()) {
                request.markEnded();
                return;
            }
            request.receivedEnd(trailers);
            pushRequestBody();
        } finally {
            unlock();
        }
    }

    /** The chunked request body broke off with bad framing: 400 and close, the origin never gets a whole request. */
    void malformedRequestBody(IOException cause) {
        lock();
        try {
            if (phase == Phase.DONE || exchange == null) {
                return;
            }
            LOG.debug("Exchange {}: malformed chunked request body: {}", exchange.id(), cause.toString());
            releaseOrigin(false);
            discardRequestBody();
            if (!client.headSent()) {
                heads.closeAfterResponse();
                client.answer(LocalResponses.MALFORMED_REQUEST_BODY, false);
            } else {
                client.abort(cause);
            }
        } catch (IOException | HttpException | RuntimeException e) {
            client.abort(e);
        } finally {
            unlock();
        }
    }

    /**
     * New request bytes or their end: the origin leg is asked for output and writes them in its
     * own produce(). Not written from here: an origin that answers early or resets must end its
     * own leg (502, retry, or discarding the rest of the body), not fail the client's callback.
     */
    private void pushRequestBody() {
        if (request.receiver() != null && !request.endSent()) {
            request.receiver().requestOutput();
        }
    }

    /**
     * The rest of the client's body will not be forwarded: keep reading it (so the client can
     * read the response) and close the connection once the response is out.
     */
    void discardRequestBody() {
        if (!request.ended()) {
            heads.closeAfterResponse();
        }
        try {
            request.discard();
        } catch (IOException e) {
            LOG.debug("Exchange {}: cannot reopen the client's window: {}", exchange.id(), e.toString());
        }
    }

    // ---------------------------------------------------------------- client side: endings

    void clientFailed(Exception cause) {
        lock();
        try {
            LOG.debug("Exchange {}: client side failed: {}", exchange == null ? "?" : exchange.id(), cause.toString());
            releaseOrigin(false);
            finish(Outcome.Kind.ABORTED, cause);
        } finally {
            unlock();
        }
    }

    void clientReleased() {
        lock();
        try {
            releaseOrigin(false);
            if (phase != Phase.DONE) {
                finish(Outcome.Kind.ABORTED, new ConnectionClosedException("client connection closed"));
            }
        } finally {
            unlock();
        }
    }

    /**
     * Ends the exchange once: every body observer that has not heard an ending hears onAbort, and
     * the filters' onComplete hooks run once the lock is released. The in-flight count drops only
     * for an exchange whose head arrived.
     */
    void finish(Outcome.Kind kind, Throwable failure) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        if (started) {
            services.exchangeEnded();
        }
        if (exchange == null) {
            return;
        }
        Throwable cause = failure != null ? failure : BodyNotCompleted.INSTANCE;
        request.abortObservers(exchange.sealRequestObservers(), cause);
        response.abortObservers(exchange.sealResponseObservers(), cause);
        Outcome outcome = ExchangeOutcome.builder(kind)
                .status(client.status())
                .bodyBytes(request.bytes(), response.bytes())
                .durationNanos(System.nanoTime() - exchange.startNanos())
                .upstream(attempts == null ? Optional.empty() : attempts.upstream())
                .failure(Optional.ofNullable(failure))
                .routing(exchange.route(), exchange.cluster())
                .attempts(attempts == null ? 0 : attempts.attempt())
                .detail(detail)
                .build();
        ChainExecution execution = chain;
        afterUnlock(() -> execution.complete(outcome));
    }

    // ---------------------------------------------------------------- facts

    /** @return whether the client may receive 1xx responses (HTTP/1.1 and later, RFC 9110 §15.2) */
    boolean acceptsInterimResponses() {
        return clientRequest.getVersion() == null || clientRequest.getVersion().greaterEquals(HttpVersion.HTTP_1_1);
    }

    /** @return whether the whole proxy→origin request went out (a request without body counts as sent) */
    boolean requestFullySent() {
        return !hasRequestBody() || request.endSent();
    }

    /** @return whether a request body goes to the origin ({@code Content-Length: 0} is no body) */
    boolean hasRequestBody() {
        return requestEntity != null && requestEntity.getContentLength() != 0;
    }

    /** @return the declared length of the client's body, negative when unknown, 0 when none */
    long requestBodyLength() {
        return requestEntity == null ? 0 : requestEntity.getContentLength();
    }

    private static boolean isIdempotent(String method) {
        switch (method) {
            case "GET": case "HEAD": case "OPTIONS": case "TRACE": case "PUT": case "DELETE":
                return true;
            default:
                return false;
        }
    }

    private static boolean isTimeout(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException) {
                return true;
            }
            if (t instanceof java.net.ConnectException) {
                return false;
            }
        }
        return false;
    }

    /** The cause observers hear when the exchange ended before their body did; shared, without a stack trace. */
    private static final class BodyNotCompleted extends IOException {
        private static final long serialVersionUID = 1L;
        static final BodyNotCompleted INSTANCE = new BodyNotCompleted();

        private BodyNotCompleted() {
            super("the exchange ended before the body did");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
