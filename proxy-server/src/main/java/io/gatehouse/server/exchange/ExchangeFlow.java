package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Response;
import io.gatehouse.api.Timing;
import io.gatehouse.api.TraceContext;
import io.gatehouse.server.chain.ChainExecution;
import io.gatehouse.server.chain.ExchangeOutcome;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.config.RequestIds;
import io.gatehouse.server.config.TraceSettings;
import io.gatehouse.server.tracing.ExchangeTimings;
import io.gatehouse.server.tracing.TraceStarter;
import io.gatehouse.server.tunnel.UpgradableConnection;
import io.gatehouse.server.tunnel.WebSocketUpgrade;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exchange from the request head to the outcome: the phase it is in, and the only place that
 * decides what happens next. {@link ClientLeg} (client→proxy request, proxy→client response) and
 * {@link OriginLeg} (proxy→origin request, origin→proxy response) call in; the two {@link
 * BodyRelay}s move the bodies, {@link Forwarding} reaches the upstream attempt by attempt, {@link
 * ResponseHeads} frames what the client gets, and {@link ClientResponses} sends it.
 *
 * <p>The rules of the engine:
 * <ol>
 *   <li>One lock per exchange, taken only by this class, {@link Forwarding} and {@link
 *       ClientResponses} on entry from HttpCore or a continuation; the helpers are guarded by it
 *       and never lock.</li>
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
    final Forwarding forwarding = new Forwarding(this);
    final RequestIntake intake = new RequestIntake(this);
    private final ReentrantLock lock = new ReentrantLock();
    private final PipelineOrder order;
    private boolean began;
    private Runnable afterUnlock;

    Phase phase = Phase.REQUEST_CHAIN;
    private boolean started;
    /** The timings of a sampled exchange, else {@link ExchangeTimings#OFF}. */
    ExchangeTimings timings = ExchangeTimings.OFF;
    HttpRequest clientRequest;
    ResponseChannel responseChannel;
    HttpContext clientContext;
    /** The client's body as it goes to the origin (unknown length once transformers change it). */
    EntityDetails requestEntity;
    private static final IOException NO_REQUEST_BODY_SENT = new IOException("no request body goes to the origin");
    ProxyExchange exchange;
    ChainExecution chain;
    private FilterChain snapshot;
    ResponseHeads heads;
    private boolean filtered;
    EntityDetails responseEntity;
    Optional<String> detail = Optional.empty();
    /** Whether this is a WebSocket upgrade the proxy tunnels (see {@link TunnelForwarding}). */
    boolean upgrade;
    /** Whether the client sent {@code TE: trailers} (hop-by-hop, so read before the fields are cleaned). */
    boolean acceptsTrailers;

    ExchangeFlow(ExchangeServices services, Executor ioThread, PipelineOrder order) {
        this.services = services;
        this.ioThread = ioThread;
        this.order = order;
        order.opened();
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
            } else {
                request.expect(entity.getContentLength());
            }
            exchange = ProxyExchange.of(head, context, entity, services.config().forwarding());
            snapshot = services.acquireChain(); // once per exchange; released after onComplete
            filtered = snapshot.size() > 0;
            chain = new ChainExecution(snapshot, exchange, services.timer(), services.config().timeouts().filter(),
                    ioThread, client::installReplacement);
            heads = new ResponseHeads(head, filtered, order::closing);
            RequestIds ids = services.config().forwarding().requestIds();
            String requestId = null;
            if (ids.enabled()) { // before any answer: refusals carry the id too
                requestId = RequestIdSource.choose(head, services.config().forwarding().trusts(exchange.clientAddress().getAddress()), ids);
                exchange.setAttribute(Keys.REQUEST_ID, requestId);
                heads.requestId(ids.header(), requestId);
            }
            TraceSettings tracing = services.config().forwarding().traceContext();
            if (tracing.enabled()) {
                TraceContext trace = TraceStarter.start(head, services.config().forwarding().trusts(exchange.clientAddress().getAddress()),
                        tracing);
                exchange.trace(trace);
                if (trace.sampled() && chain.timed()) {
                    timings = ExchangeTimings.start(exchange.startNanos());
                    chain.recordTimings(timings);
                }
            }
            if (head instanceof RejectedRequest) {
                RejectedRequest rejected = (RejectedRequest) head;
                heads.closeAfterResponse();
                detail = Optional.of(LocalResponses.REQUEST_HEAD_REJECTED.detail());
                client.sendLocal(LocalResponses.rejectedHead(rejected.status(), ClientResponses.reasonPhrase(rejected.status()),
                        rejected.reason()), false);
                return;
            }
            RequestAdmission.Verdict verdict = RequestAdmission.check(head, entity, services.config().limits().body(),
                    services.config().forwarding());
            if (verdict.refusal().isPresent()) {
                heads.closeAfterResponse();
                client.answer(verdict.refusal().get(), false);
                return;
            }
            forwarding.expectContinue(verdict.expectContinue());
            if (services.draining() || ProxyHeaders.wantsClose(head)) {
                heads.closeAfterResponse();
            }
            upgrade = head.containsHeader("Upgrade") && services.tunnels().enabled() && ioThread instanceof UpgradableConnection
                    && WebSocketUpgrade.requested(head, entity);
            acceptsTrailers = ProxyHeaders.acceptsTrailers(head);
            ProxyHeaders.prepareRequest(head, exchange.clientAddress(), ProxyExchange.listenerScheme(context),
                    services.config().forwarding()); // our listener's scheme
            if (upgrade) { // filters see the upgrade; the tunnel writes these two fields to the origin again
                head.setHeader("Connection", "Upgrade");
                head.setHeader("Upgrade", "websocket");
            }
            ProxyHeaders.addVia(head, head.getVersion(), services.config().forwarding().via());
            if (requestId != null) { // after the hop-by-hop rules, which could have removed it
                head.setHeader(ids.header(), requestId);
            }
            if (exchange.trace().isPresent()) { // after the hop-by-hop rules too
                TraceStarter.apply(head, exchange.trace().get());
            }
        } finally {
            unlock();
        }
        order.begin(this::startRequestChain);
    }

    /** Runs the request chain, once every earlier exchange of the connection has ended. */
    private void startRequestChain() {
        boolean ended;
        lock();
        try {
            began = true;
            ended = phase == Phase.DONE; // the client went away while this exchange waited
        } finally {
            unlock();
        }
        if (ended) {
            Runnable next = order.end();
            if (next != null) {
                next.run();
            }
            return;
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
            List<BodyTransformer> transformers = exchange.sealRequestTransformers();
            Optional<Response> shortCircuit = result.response();
            if (!transformers.isEmpty() && shortCircuit.isEmpty() && hasRequestBody()) {
                intake.startTransforms(transformers);
            } else {
                Transforms.abandon(transformers, NO_REQUEST_BODY_SENT);
                request.startObservers(exchange.sealRequestObservers());
            }
            if (shortCircuit.isPresent()) {
                detail = LocalResponses.of(shortCircuit.get()).map(LocalResponses::detail);
                client.sendLocal(shortCircuit.get(), true);
                return;
            }
            forwarding.startOnceBodyCollected();
        } catch (IOException | HttpException | RuntimeException e) {
            client.failBeforeResponse(e);
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- client side: endings

    void clientFailed(Exception cause) {
        lock();
        try {
            LOG.debug("Exchange {}: client side failed: {}", exchange == null ? "?" : exchange.id(), cause.toString());
            forwarding.releaseOrigin(false);
            finish(Outcome.Kind.ABORTED, cause);
        } finally {
            unlock();
        }
    }

    void clientReleased() {
        order.released();
        lock();
        try {
            forwarding.releaseOrigin(false);
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
        forwarding.abandonBodyWait();
        if (started) {
            services.exchangeEnded();
        }
        if (began) {
            Runnable next = order.end();
            if (next != null) {
                afterUnlock(next); // the next pipelined exchange starts outside this one's lock
            }
        }
        if (exchange == null) {
            return;
        }
        Throwable cause = failure != null ? failure : BodyNotCompleted.INSTANCE;
        request.abortObservers(exchange.sealRequestObservers(), cause);
        response.abortObservers(exchange.sealResponseObservers(), cause);
        Transforms.abandon(exchange.sealRequestTransformers(), cause); // never started: nothing else holds them
        Transforms.abandon(exchange.sealResponseTransformers(), cause);
        intake.abortTransforms(cause); // nothing if the body ended through them
        client.relay().abortTransforms(cause);
        Outcome outcome = ExchangeOutcome.builder(kind)
                .status(client.status())
                .bodyBytes(request.bytes(), response.bytes())
                .durationNanos(System.nanoTime() - exchange.startNanos())
                .upstream(forwarding.upstream())
                .failure(Optional.ofNullable(failure))
                .routing(exchange.route(), exchange.cluster())
                .attempts(forwarding.attemptCount())
                .upstreamTime(forwarding.upstreamTime())
                .detail(detail)
                .timings(timings.on() ? timings.timings(exchangeTiming(kind)) : List.of())
                .build();
        services.meters().record(outcome);
        ChainExecution execution = chain;
        FilterChain used = snapshot;
        ProxyExchange ended = exchange;
        afterUnlock(() -> {
            services.errorLog().exchangeEnded(outcome, ended.id(), ended.attribute(Keys.REQUEST_ID).orElse("-"),
                    ended.request().method(), ended.request().path());
            try {
                execution.complete(outcome);
            } finally {
                used.release(); // the last exchange of a retired snapshot closes its filters
            }
        });
    }

    /** @return the step of the whole exchange, first in its timings */
    private Timing exchangeTiming(Outcome.Kind kind) {
        long start = exchange.startNanos();
        return Timing.of(Timing.Kind.EXCHANGE, exchange.request().method(), exchange.request().path(), timings.epoch(start),
                System.nanoTime() - start, kind == Outcome.Kind.COMPLETED ? "completed" : "aborted", client.status(),
                exchange.trace().map(TraceContext::spanId));
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

    /** @return the client's body details, null when it sent none */
    EntityDetails requestEntity() {
        return requestEntity;
    }

    /** @return whether filters run on this exchange */
    boolean filtered() {
        return filtered;
    }

    /** @return the declared length of the client's body, negative when unknown, 0 when none */
    long requestBodyLength() {
        return requestEntity == null ? 0 : requestEntity.getContentLength();
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
