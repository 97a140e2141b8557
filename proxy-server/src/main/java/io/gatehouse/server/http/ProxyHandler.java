package io.gatehouse.server.http;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Response;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.server.chain.ChainExecution;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exchange, both legs: it faces the client as HttpCore's server exchange handler and the
 * origin through its inner {@link Origin} client handler. All state sits here, under one lock,
 * whichever I/O thread (client side, origin side, or a filter's completion) calls in.
 *
 * <p>Bodies move through two bounded {@link BodyBuffer}s; credit is granted only for free
 * space, so a slow reader slows the writer down and memory stays bounded.
 */
final class ProxyHandler implements AsyncServerExchangeHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(1);
    private static final HttpDates DATE = new HttpDates();

    private enum Phase { REQUEST_CHAIN, CONNECTING, FORWARDING, RETRY_WAIT, RESPONSE_CHAIN, RESPONDING, DONE }

    private final ProxyEngine engine;
    private final ReentrantLock lock = new ReentrantLock();

    private Phase phase = Phase.REQUEST_CHAIN;
    private HttpRequest clientRequest;
    private ResponseChannel responseChannel;
    private HttpContext clientContext;
    private ProxyExchange exchange;
    private ChainExecution chain;
    private boolean expectContinue;
    /** The request body received so far, kept for retries when the selector asks (see {@link #keepForReplay}). */
    private byte[] replay;
    private int replayLength;
    private boolean replayIncomplete;
    private boolean closeAfterResponse;

    // client→proxy→origin request body
    private EntityDetails requestEntity;
    private final BodyBuffer requestBody;
    private CapacityChannel clientCapacity;
    private boolean requestEnded;
    private boolean requestEndSent;
    private boolean discardRequestBody;
    private List<? extends Header> requestTrailers;
    private long requestBytes;

    // the origin attempt
    private Upstream upstream;
    private UpstreamSelector selector;
    private AsyncClientEndpoint endpoint;
    private Origin origin;
    private DataStreamChannel originChannel;
    private long attemptStartNanos;
    private int attempt;
    private boolean attemptOnReusedConnection;
    private boolean requestHeadProduced;
    private boolean interimRelayed;

    // origin→proxy→client response
    private HttpResponse clientResponse;
    private EntityDetails responseEntity;
    private final BodyBuffer responseBody;
    private CapacityChannel originCapacity;
    private DataStreamChannel clientChannel;
    private boolean responseEnded;
    private boolean responseEndSent;
    private List<? extends Header> responseTrailers;
    private long responseBytes;
    private IOException abortCause;
    private boolean filtered;
    private int responseChains;
    private String headLength; // the origin's Content-Length of a HEAD response // a response chain's answer counts only if no other answer started since
    private Response replacement;
    private BasicHttpResponse replacementHead;
    private boolean outcomeReported;

    ProxyHandler(ProxyEngine engine) {
        this.engine = engine;
        MalformedBodyGuard guard = MalformedBodyGuard.takeForNewExchange();
        if (guard != null) {
            guard.onMalformed(this::onMalformedRequestBody);
        }
        this.requestBody = new BodyBuffer(ProxyEngine.BODY_BUFFER, ProxyEngine.BODY_BUFFER);
        this.responseBody = new BodyBuffer(ProxyEngine.BODY_BUFFER, ProxyEngine.BODY_BUFFER);
    }

    // ---------------------------------------------------------------- client side: request head

    @Override
    public void handleRequest(HttpRequest request, EntityDetails entityDetails, ResponseChannel channel,
                              HttpContext context) throws HttpException, IOException {
        lock.lock();
        try {
            engine.exchangeStarted();
            this.clientRequest = request;
            this.responseChannel = channel;
            this.clientContext = context;
            this.requestEntity = entityDetails;
            if (entityDetails == null) {
                requestEnded = true;
            }
            long now = System.nanoTime();
            HttpCoreContext core = HttpCoreContext.cast(context);
            InetSocketAddress client = toInet(core.getEndpointDetails() == null ? null : core.getEndpointDetails().getRemoteAddress());
            InetSocketAddress local = toInet(core.getEndpointDetails() == null ? null : core.getEndpointDetails().getLocalAddress());
            long bodyLength = entityDetails == null ? 0 : entityDetails.isChunked() ? -1 : Math.max(-1, entityDetails.getContentLength());
            this.exchange = new ProxyExchange(request, "http", client, local, now, bodyLength);
            exchange.resolveClientIp(engine.config().forwarding());
            this.chain = new ChainExecution(engine.chain(), exchange, engine.scheduler(), engine.config().timeouts().filter(),
                    this::installReplacement);
            this.filtered = engine.chain().size() > 0;

            if (request instanceof RejectedRequest) {
                RejectedRequest rejected = (RejectedRequest) request;
                closeAfterResponse = true;
                sendLocal(Response.text(rejected.status(), reasonPhrase(rejected.status()) + ": " + rejected.reason()), false);
                return;
            }
            Optional<Response> refusal = checkRequest(request, entityDetails);
            if (refusal.isPresent()) {
                closeAfterResponse = true;
                sendLocal(refusal.get(), false);
                return;
            }
            if (engine.draining() || ProxyHeaders.wantsClose(request)) {
                closeAfterResponse = true;
            }
            ProxyHeaders.prepareRequest(request, client, "http", engine.config().forwarding());
            ProxyHeaders.addVia(request, request.getVersion(), engine.config().forwarding().via());
            phase = Phase.REQUEST_CHAIN;
        } finally {
            lock.unlock();
        }
        chain.runRequest(this::onRequestChainDone);
    }

    /** Checks made before any filter runs; the answer closes the connection. */
    private Optional<Response> checkRequest(HttpRequest request, EntityDetails entity) {
        long lineLength = request.getMethod().length() + request.getPath().length() + 10L;
        if (lineLength > engine.config().limits().requestLine()) {
            return Optional.of(Response.text(414, "URI Too Long"));
        }
        long headerBytes = 0;
        for (Header header : request.getHeaders()) {
            headerBytes += header.getName().length() + header.getValue().length() + 4;
        }
        if (headerBytes > engine.config().limits().headers()) {
            return Optional.of(Response.text(431, "Request Header Fields Too Large"));
        }
        if (request.getVersion() != null && request.getVersion().greaterEquals(HttpVersion.HTTP_1_1)
                && request.getHeaders("Host").length != 1) {
            return Optional.of(Response.text(400, "Bad Request: exactly one Host header is required"));
        }
        if (entity != null && entity.getContentLength() > engine.config().limits().body()) {
            return Optional.of(Response.text(413, "Content Too Large"));
        }
        Header[] expect = request.getHeaders("Expect");
        if (expect.length > 0) {
            if (expect.length > 1 || !ProxyHeaders.isContinue(expect[0].getValue())) {
                return Optional.of(Response.text(417, "Expectation Failed"));
            }
            request.removeHeaders("Expect");
            expectContinue = entity != null;
        }
        return Optional.empty();
    }

    private void onRequestChainDone(FilterResult result) {
        lock.lock();
        try {
            if (phase != Phase.REQUEST_CHAIN) {
                return;
            }
            Optional<Response> shortCircuit = result.response();
            if (shortCircuit.isPresent()) {
                sendLocal(shortCircuit.get(), true);
                return;
            }
            startAttempt();
        } catch (IOException | HttpException | RuntimeException e) {
            failBeforeResponse(e);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- origin attempt

    private void startAttempt() throws IOException, HttpException {
        selector = exchange.upstreamSelector().orElse(null);
        if (selector == null && exchange.cluster().isPresent()) {
            sendLocal(Response.text(502, "Bad Gateway: no load balancer serves cluster " + exchange.cluster().get()), true);
            return;
        }
        if (selector == null) {
            selector = engine.fallbackSelector().orElse(null);
        }
        if (selector == null) {
            sendLocal(Response.text(502, "Bad Gateway: no upstream is configured for this request"), true);
            return;
        }
        if (attempt == 0) {
            startReplayCopy();
        }
        attempt++;
        Optional<Upstream> choice = selector.select(exchange, attempt);
        if (choice.isEmpty()) {
            sendLocal(Response.text(503, "Service Unavailable: no upstream available"), true);
            return;
        }
        upstream = choice.get();
        if (expectContinue && acceptsInterimResponses()) {
            expectContinue = false; // once, whatever the number of attempts
            responseChannel.sendInformation(new BasicHttpResponse(100), clientContext);
        }
        phase = Phase.CONNECTING;
        requestHeadProduced = false; // this attempt has sent nothing yet
        attemptStartNanos = System.nanoTime();
        HttpHost target = new HttpHost(upstream.scheme(), upstream.host(), upstream.port());
        if (!engine.origins().isOpen()) {
            closeAfterResponse = true;
            sendLocal(Response.text(503, "Service Unavailable: shutting down"), true);
            return;
        }
        Timeout silence = Timeout.of(exchange.responseTimeout().orElse(engine.config().timeouts().response()));
        engine.origins().lease(target, engine.connectTimeout(), silence, new FutureCallback<>() {
            @Override
            public void completed(AsyncClientEndpoint result) {
                onConnected(result);
            }

            @Override
            public void failed(Exception ex) {
                onConnectFailed(ex);
            }

            @Override
            public void cancelled() {
                onConnectFailed(new ConnectionClosedException("connect cancelled"));
            }
        });
    }

    private void onConnected(AsyncClientEndpoint connected) {
        lock.lock();
        try {
            if (phase != Phase.CONNECTING) {
                connected.releaseAndReuse(); // the exchange ended meanwhile; the connection is unused
                return;
            }
            endpoint = connected;
            try {
                selector.onConnected(upstream);
            } catch (RuntimeException e) {
                LOG.warn("Upstream selector failed in onConnected: {}", e.toString());
            }
            attemptOnReusedConnection = OriginConnections.wasReused(connected);
            requestHeadProduced = false;
            origin = new Origin();
            phase = Phase.FORWARDING;
            connected.execute(origin, null, HttpCoreContext.create());
        } finally {
            lock.unlock();
        }
    }

    private void onConnectFailed(Exception cause) {
        lock.lock();
        try {
            if (phase != Phase.CONNECTING) {
                return;
            }
            boolean timeout = isTimeout(cause);
            AttemptResult result = reportAttempt(timeout ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.CONNECT_FAILURE, 0);
            if (retryIfWanted(result)) {
                return;
            }
            LOG.debug("Exchange {}: connect to {} failed: {}", exchange.id(), upstream, cause.toString());
            closeAfterResponse = true;
            sendLocal(timeout ? Response.text(504, "Gateway Timeout: connecting to the upstream timed out")
                    : Response.text(502, "Bad Gateway: cannot connect to the upstream"), true);
        } catch (IOException | HttpException e) {
            abort(e);
        } finally {
            lock.unlock();
        }
    }

    private HttpRequest originRequest() {
        String authority = upstream.authority();
        BasicHttpRequest outgoing = new BasicHttpRequest(clientRequest.getMethod(), upstream.scheme(),
                new URIAuthority(upstream.host(), upstream.port()), clientRequest.getPath());
        outgoing.setVersion(HttpVersion.HTTP_1_1);
        outgoing.setHeaders(clientRequest.getHeaders());
        if (filtered) {
            ProxyHeaders.stripHopByHop(outgoing); // framing is the proxy's, whatever a filter set
        }
        String host = exchange.originHost().orElse(engine.config().forwarding().preserveHost() && clientRequest.getAuthority() != null
                ? clientRequest.getAuthority().toString() : authority);
        outgoing.setHeader("Host", host);
        if (requestEntity != null) {
            if (requestEntity.getContentLength() >= 0 && !requestEntity.isChunked()) {
                outgoing.setHeader("Content-Length", Long.toString(requestEntity.getContentLength()));
            } else {
                outgoing.setHeader("Transfer-Encoding", "chunked");
            }
        }
        return outgoing;
    }

    private AttemptResult reportAttempt(AttemptResult.Kind kind, int status) {
        AttemptResult result = new AttemptResult(kind, status, System.nanoTime() - attemptStartNanos);
        if (selector != null && upstream != null) {
            try {
                selector.onAttemptResult(upstream, result);
            } catch (RuntimeException e) {
                LOG.warn("Upstream selector failed in onAttemptResult: {}", e.toString());
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- retries chosen by the selector

    /**
     * Whether the request can go out again: nothing of the response reached the client, and the
     * request never left the proxy, or it is idempotent and its body (if any) is held whole.
     */
    private boolean canResend() {
        if (interimRelayed || engine.draining() || discardRequestBody || phase == Phase.DONE) {
            return false;
        }
        if (!requestHeadProduced) {
            return true;
        }
        return isIdempotent(clientRequest.getMethod()) && (!hasRequestBody() || (replay != null && !replayIncomplete));
    }

    /**
     * Asks the selector whether to retry after {@code result}; if so, detaches the failed
     * attempt, puts the kept body back, and starts the next attempt now or after the delay.
     *
     * @return whether the exchange is taken care of: a retry was started or scheduled, or
     *     starting it failed and the client was answered
     */
    private boolean retryIfWanted(AttemptResult result) {
        try {
            return startRetryIfWanted(result);
        } catch (IOException | HttpException | RuntimeException e) {
            failBeforeResponse(e);
            return true;
        }
    }

    private boolean startRetryIfWanted(AttemptResult result) throws IOException, HttpException {
        if (selector == null || !canResend()) {
            return false;
        }
        Optional<Duration> delay;
        try {
            delay = selector.retry(exchange, attempt, result);
        } catch (RuntimeException e) {
            LOG.warn("Upstream selector failed in retry: {}", e.toString());
            return false;
        }
        if (delay.isEmpty()) {
            return false;
        }
        LOG.debug("Exchange {}: attempt {} to {} ended with {}; retrying in {}", exchange.id(), attempt, upstream, result, delay.get());
        boolean bodyLeft = requestHeadProduced && hasRequestBody();
        origin = null;
        originChannel = null;
        originCapacity = null;
        if (endpoint != null) {
            AsyncClientEndpoint held = endpoint;
            endpoint = null;
            held.releaseAndDiscard();
        }
        if (bodyLeft) {
            requestBody.refill(replay, replayLength);
            requestEndSent = false;
        }
        phase = Phase.RETRY_WAIT;
        long millis = delay.get().toMillis();
        if (millis <= 0) {
            startAttempt();
        } else {
            engine.scheduler().schedule(this::retryNow, millis, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private void retryNow() {
        lock.lock();
        try {
            if (phase == Phase.RETRY_WAIT) {
                startAttempt();
            }
        } catch (IOException | HttpException | RuntimeException e) {
            failBeforeResponse(e);
        } finally {
            lock.unlock();
        }
    }

    /** Starts the body copy for retries if the selector wants one; the bytes so far are still unsent. */
    private void startReplayCopy() {
        int cap = selector.replayBufferSize();
        if (cap <= 0 || !hasRequestBody() || !isIdempotent(clientRequest.getMethod())) {
            return; // a non-idempotent request is never resent once its head left: no copy needed
        }
        long declared = requestEntity.getContentLength();
        if (declared > cap) {
            replayIncomplete = true;
            return;
        }
        replay = new byte[(int) (declared >= 0 ? declared : Math.min(cap, 4096))];
        replayLength = 0;
        byte[] sofar = requestBody.copy();
        keepForReplay(ByteBuffer.wrap(sofar), cap);
    }

    /** Copies request body bytes for a possible retry, giving up (for good) past {@code cap}. */
    private void keepForReplay(ByteBuffer data, int cap) {
        if (replay == null || replayIncomplete) {
            return;
        }
        int n = data.remaining();
        if (replayLength + n > cap) {
            replay = null;
            replayIncomplete = true;
            return;
        }
        if (replayLength + n > replay.length) {
            replay = Arrays.copyOf(replay, Math.min(cap, Math.max(replayLength + n, replay.length * 2)));
        }
        data.get(replay, replayLength, n);
        replayLength += n;
    }

    /** The proxy→origin request and origin→proxy response of one attempt. */
    private final class Origin implements AsyncClientExchangeHandler {

        @Override
        public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
            HttpRequest outgoing;
            lock.lock();
            try {
                if (origin != this) {
                    throw new ConnectionClosedException("exchange already ended");
                }
                outgoing = originRequest();
                requestHeadProduced = true;
            } finally {
                lock.unlock();
            }
            channel.sendRequest(outgoing, hasRequestBody()
                    ? new BasicEntityDetails(requestEntity.getContentLength(), null) : null, context);
        }

        @Override
        public int available() {
            lock.lock();
            try {
                if (origin != this) {
                    return 0;
                }
                int buffered = requestBody.length();
                if (buffered > 0) {
                    return buffered;
                }
                return requestEnded && !requestEndSent ? 1 : 0;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            lock.lock();
            try {
                if (origin != this) {
                    return;
                }
                originChannel = channel;
                writeRequestBody(channel);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
            lock.lock();
            try {
                if (origin != this || phase != Phase.FORWARDING || response.getCode() == 101 || !acceptsInterimResponses()) {
                    return;
                }
                BasicHttpResponse interim = new BasicHttpResponse(response.getCode());
                for (Header header : response.getHeaders()) {
                    interim.addHeader(header);
                }
                ProxyHeaders.stripHopByHop(interim);
                interimRelayed = true;
                responseChannel.sendInformation(interim, clientContext);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context)
                throws HttpException, IOException {
            int token;
            lock.lock();
            try {
                if (origin != this || phase != Phase.FORWARDING) {
                    return;
                }
                        for (Header header : response.getHeaders()) {
                    if (ProxyHeaders.hasForbiddenCharacters(header)) {
                        reportAttempt(AttemptResult.Kind.RESET, 0);
                        releaseEndpoint(false);
                        closeAfterResponse = true;
                        sendLocal(Response.text(502, "Bad Gateway: the upstream sent an invalid header"), true);
                        return;
                    }
                }
                AttemptResult result = reportAttempt(AttemptResult.Kind.RESPONSE, response.getCode());
                if (retryIfWanted(result)) {
                    return;
                }
                String length = entityDetails == null && Method.HEAD.isSame(clientRequest.getMethod())
                        ? headerValue(response, "Content-Length") : null;
                // A copy: HttpCore still reads the origin's head (framing, Connection) to decide reuse.
                BasicHttpResponse outgoing = new BasicHttpResponse(response.getCode(), response.getReasonPhrase());
                outgoing.setHeaders(response.getHeaders());
                ProxyHeaders.stripHopByHop(outgoing);
                ProxyHeaders.addVia(outgoing, response.getVersion(), engine.config().forwarding().via());
                clientResponse = outgoing;
                responseEntity = entityDetails;
                if (entityDetails == null) {
                    responseEnded = true;
                    if (length != null) {
                        outgoing.setHeader("Content-Length", length);
                        headLength = length;
                    }
                    releaseEndpoint(requestFullySent());
                }
                exchange.setResponse(outgoing);
                phase = Phase.RESPONSE_CHAIN;
                token = startResponseChain();
            } finally {
                lock.unlock();
            }
            chain.runResponse(result -> onResponseChainDone(result, token));
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            lock.lock();
            try {
                if (origin != this) {
                    return;
                }
                originCapacity = capacityChannel;
                responseBody.creditExhausted();
                if (clientChannel != null || responseBody.length() == 0) {
                    responseBody.grant(capacityChannel);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            lock.lock();
            try {
                if (origin != this || phase == Phase.DONE) {
                    src.position(src.limit());
                    return;
                }
                responseBytes += src.remaining();
                notifyData(exchange.responseObservers(), src);
                writeThrough(src);
                if (src.hasRemaining()) {
                    responseBody.append(src);
                }
                pushResponseBody();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            lock.lock();
            try {
                if (origin != this) {
                    return;
                }
                responseEnded = true;
                responseTrailers = trailers;
                releaseEndpoint(requestFullySent());
                pushResponseBody();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void failed(Exception cause) {
            lock.lock();
            try {
                if (origin == this) {
                    originFailed(cause);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            failed(new ConnectionClosedException("upstream exchange cancelled"));
        }

        @Override
        public void releaseResources() {
            lock.lock();
            try {
                if (origin == this && !responseEnded && phase != Phase.DONE) {
                    originFailed(new ConnectionClosedException("upstream connection closed"));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void originFailed(Exception cause) {
        if (phase == Phase.FORWARDING && !mayRetry()) {
            AttemptResult result = reportAttempt(isTimeout(cause) ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.RESET, 0);
            if (retryIfWanted(result)) {
                return;
            }
            releaseEndpoint(false);
            answerFailedAttempt(cause);
            return;
        }
        releaseEndpoint(false);
        if (phase == Phase.FORWARDING && mayRetry()) {
            LOG.debug("Exchange {}: retrying after {} on a {} connection", exchange.id(), cause.toString(),
                    attemptOnReusedConnection ? "pooled" : "new");
            reportAttempt(AttemptResult.Kind.RESET, 0);
            try {
                startAttempt();
            } catch (IOException | HttpException | RuntimeException e) {
                failBeforeResponse(e);
            }
            return;
        }
        if (phase == Phase.RESPONSE_CHAIN && !responseEnded) {
            // the head has not gone to the client yet: it can still get a clean 502
            notifyAbort(exchange.responseObservers(), cause);
            LOG.debug("Exchange {}: upstream {} failed before its head was relayed: {}", exchange.id(), upstream, cause.toString());
            try {
                closeAfterResponse = true;
                sendLocal(Response.text(502, "Bad Gateway: the upstream failed while responding"), false);
            } catch (IOException | HttpException e) {
                abort(e);
            }
        } else if (phase == Phase.RESPONDING) {
            if (!responseEnded) {
                notifyAbort(exchange.responseObservers(), cause);
                LOG.debug("Exchange {}: upstream {} failed mid-response: {}", exchange.id(), upstream, cause.toString());
                abort(cause instanceof IOException ? (IOException) cause : new IOException(cause));
            }
        }
    }

    /** The attempt failed before any response head: 504 for a timeout, 502 otherwise. */
    private void answerFailedAttempt(Exception cause) {
        boolean timeout = isTimeout(cause);
        LOG.debug("Exchange {}: upstream {} failed before the response: {}", exchange.id(), upstream, cause.toString());
        try {
            closeAfterResponse = true;
            sendLocal(timeout ? Response.text(504, "Gateway Timeout: the upstream did not answer in time")
                    : Response.text(502, "Bad Gateway: the upstream failed before responding"), true);
        } catch (IOException | HttpException e) {
            abort(e);
        }
    }

    /**
     * The rest of the client's body will not be forwarded: keep reading it (so the client can
     * read the response) and close the connection once the response is out.
     */
    private void startDiscardingRequestBody() {
        discardRequestBody = true;
        requestBody.clear();
        if (!requestEnded) {
            closeAfterResponse = true;
            if (clientCapacity != null) {
                try {
                    clientCapacity.update(Integer.MAX_VALUE);
                } catch (IOException e) {
                    LOG.debug("Exchange {}: cannot reopen the client's window: {}", exchange.id(), e.toString());
                }
            }
        }
    }

    /**
     * One more attempt is safe when nothing of the response arrived, the request has no body to
     * replay, and either the request never left the proxy (the connection failed before its turn)
     * or it was an idempotent request on a pooled connection that turned out stale (the origin
     * closed it while idle, or it held bytes that answer no request).
     */
    private boolean mayRetry() {
        if (attempt >= 2 || engine.draining() || hasRequestBody() || interimRelayed) {
            return false;
        }
        return !requestHeadProduced || (attemptOnReusedConnection && isIdempotent(clientRequest.getMethod()));
    }

    private static boolean isIdempotent(String method) {
        switch (method) {
            case "GET": case "HEAD": case "OPTIONS": case "TRACE": case "PUT": case "DELETE":
                return true;
            default:
                return false;
        }
    }

    /** @return whether the proxy→client response head has gone out (or the exchange is over) */
    private boolean responseHeadSent() {
        return phase == Phase.RESPONDING || phase == Phase.DONE;
    }

    /** @return whether the client may receive 1xx responses (HTTP/1.1 and later, RFC 9110 §15.2) */
    private boolean acceptsInterimResponses() {
        return clientRequest.getVersion() == null || clientRequest.getVersion().greaterEquals(HttpVersion.HTTP_1_1);
    }

    /** @return whether the whole proxy→origin request went out (a request without body counts as sent) */
    private boolean requestFullySent() {
        return !hasRequestBody() || requestEndSent;
    }

    /** @return whether a request body goes to the origin ({@code Content-Length: 0} is no body) */
    private boolean hasRequestBody() {
        return requestEntity != null && requestEntity.getContentLength() != 0;
    }

    private void releaseEndpoint(boolean reusable) {
        origin = null;
        originChannel = null;
        if (!requestFullySent()) {
            if (phase != Phase.REQUEST_CHAIN && phase != Phase.CONNECTING) {
                startDiscardingRequestBody();
            }
        }
        if (endpoint != null) {
            AsyncClientEndpoint held = endpoint;
            endpoint = null;
            if (reusable) {
                held.releaseAndReuse();
            } else {
                held.releaseAndDiscard();
            }
        }
    }

    // ---------------------------------------------------------------- response head to the client

    /** An {@code onResponse} hook replaced the response: earlier filters edit the replacement's head. */
    private void installReplacement(Response response) {
        lock.lock();
        try {
            BasicHttpResponse head = localHead(response);
            exchange.setResponse(head);
            replacement = response;
            replacementHead = head;
        } finally {
            lock.unlock();
        }
    }

    /** Sends the chain's final answer: the installed replacement as the filters left it, or an error. */
    private void sendReplacement(Response response) throws HttpException, IOException {
        if (response == replacement && replacementHead != null) {
            writeLocal(replacementHead, response.bodyBuffer());
        } else {
            sendLocalHead(response);
        }
    }

    private int startResponseChain() {
        return ++responseChains;
    }

    private void onResponseChainDone(FilterResult result, int token) {
        lock.lock();
        try {
            if (phase == Phase.DONE || token != responseChains) {
                return;
            }
            Optional<Response> replacement = result.response();
            if (replacement.isPresent()) {
                        releaseEndpoint(false);
                responseBody.clear();
                sendReplacement(replacement.get());
                return;
            }
            sendHead(clientResponse, responseEntity);
        } catch (IOException | HttpException | RuntimeException e) {
            abort(e);
        } finally {
            lock.unlock();
        }
    }

    private void sendHead(HttpResponse response, EntityDetails entity) throws HttpException, IOException {
        phase = Phase.RESPONDING;
        if (filtered) {
            ProxyHeaders.stripHopByHop(response); // framing is the proxy's, whatever a filter set
            if (headLength != null) {
                response.setHeader("Content-Length", headLength);
            }
        }
        if (response.getFirstHeader("Date") == null) {
            response.addHeader(DATE.format());
        }
        EntityDetails outgoingEntity = null;
        boolean head = Method.HEAD.isSame(clientRequest.getMethod());
        if (entity != null) {
            long length = entity.getContentLength();
            if (length >= 0 && !entity.isChunked()) {
                response.setHeader("Content-Length", Long.toString(length));
            } else if (clientRequest.getVersion() != null && clientRequest.getVersion().lessEquals(HttpVersion.HTTP_1_0)) {
                closeAfterResponse = true;
            } else {
                response.setHeader("Transfer-Encoding", "chunked");
            }
            outgoingEntity = head ? null : new BasicEntityDetails(length, null);
        }
        if (closeAfterResponse || (!requestEnded && discardRequestBody)) {
            response.setHeader("Connection", "close");
        }
        if (outgoingEntity == null) {
            responseEnded = true;
        }
        responseChannel.sendResponse(response, outgoingEntity, clientContext);
        if (outgoingEntity == null) {
            responseEndSent = true;
            finish(Outcome.Kind.COMPLETED, null);
            lingerIfRequestUnread();
        }
    }

    /** Answers the exchange locally, through the response filters when {@code throughFilters}. */
    private void sendLocal(Response response, boolean throughFilters) throws HttpException, IOException {
        releaseEndpoint(false);
        if (!requestEnded) {
            discardRequestBody = true;
            requestBody.clear();
            if (response.status() == 413 || requestEntity == null || requestEntity.getContentLength() < 0
                    || requestEntity.getContentLength() - requestBytes > ProxyEngine.BODY_BUFFER) {
                closeAfterResponse = true;
            }
            if (clientCapacity != null) {
                clientCapacity.update(Integer.MAX_VALUE);
            }
        }
        if (!throughFilters) {
            sendLocalHead(response);
            return;
        }
        BasicHttpResponse head = localHead(response);
        clientResponse = head;
        exchange.setResponse(head);
        phase = Phase.RESPONSE_CHAIN;
        ByteBuffer body = response.bodyBuffer(); // read-only and shared: a cached body is not copied per answer
        int token = startResponseChain();
        chain.runResponse(result -> onLocalResponseChainDone(result, head, body, token));
    }

    private void onLocalResponseChainDone(FilterResult result, BasicHttpResponse head, ByteBuffer body, int token) {
        lock.lock();
        try {
            if (phase == Phase.DONE || token != responseChains) {
                return;
            }
            if (result.response().isPresent()) {
                sendReplacement(result.response().get());
            } else {
                writeLocal(head, body);
            }
        } catch (IOException | HttpException | RuntimeException e) {
            abort(e);
        } finally {
            lock.unlock();
        }
    }

    private void sendLocalHead(Response response) throws HttpException, IOException {
        startResponseChain(); // an answer without filters: pending response chains no longer count
        BasicHttpResponse head = localHead(response);
        exchange.setResponse(head);
        writeLocal(head, response.bodyBuffer());
    }

    private void writeLocal(BasicHttpResponse head, ByteBuffer body) throws HttpException, IOException {
        clientResponse = head;
        responseBody.clear();
        boolean bodyAllowed = head.getCode() != 204 && head.getCode() != 304;
        if (bodyAllowed) {
            head.setHeader("Content-Length", Integer.toString(body.remaining()));
        }
        if (body.remaining() > 0 && bodyAllowed && !Method.HEAD.isSame(clientRequest.getMethod())) {
            responseBytes = body.remaining();
            notifyData(exchange.responseObservers(), body.duplicate());
            responseBody.append(body.duplicate());
            responseEnded = true;
            sendHead(head, new BasicEntityDetails(body.remaining(), null));
        } else {
            responseEnded = true;
            if (filtered) {
                ProxyHeaders.stripHopByHop(head);
                if (bodyAllowed) {
                    head.setHeader("Content-Length", Integer.toString(body.remaining()));
                }
            }
            if (head.getFirstHeader("Date") == null) {
                head.addHeader(DATE.format());
            }
            if (closeAfterResponse) {
                head.setHeader("Connection", "close");
            }
            phase = Phase.RESPONDING;
            responseChannel.sendResponse(head, null, clientContext);
            responseEndSent = true;
            finish(Outcome.Kind.COMPLETED, null);
            lingerIfRequestUnread();
        }
    }

    private BasicHttpResponse localHead(Response response) {
        BasicHttpResponse head = new BasicHttpResponse(response.status());
        MutableHttpFields fields = new MessageFields(head);
        response.headers().forEach(fields::add);
        ProxyHeaders.stripHopByHop(head);
        if (closeAfterResponse) {
            head.setHeader("Connection", "close");
        }
        return head;
    }

    private void failBeforeResponse(Exception cause) {
        LOG.error("Exchange {} failed: {}", exchange == null ? "?" : exchange.id(), cause.toString(), cause);
        try {
            if (clientResponse == null && phase != Phase.DONE) {
                closeAfterResponse = true;
                sendLocalHead(Response.text(500, "Internal Server Error"));
                return;
            }
        } catch (IOException | HttpException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        abort(cause);
    }

    // ---------------------------------------------------------------- client side: bodies

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        lock.lock();
        try {
            clientCapacity = capacityChannel;
            requestBody.creditExhausted();
            if (discardRequestBody) {
                capacityChannel.update(Integer.MAX_VALUE);
            } else {
                requestBody.grant(capacityChannel);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        lock.lock();
        try {
            int n = src.remaining();
            requestBytes += n;
            if (discardRequestBody) {
                src.position(src.limit());
                return;
            }
            if (requestBytes > engine.config().limits().body()) {
                src.position(src.limit());
                tooLarge();
                return;
            }
            notifyData(exchange.requestObservers(), src);
            if (replay != null) {
                keepForReplay(src.duplicate(), selector.replayBufferSize());
            }
            requestBody.append(src);
            pushRequestBody();
        } finally {
            lock.unlock();
        }
    }

    /** The chunked request body broke off with bad framing: 400 and close, the origin never gets a whole request. */
    private void onMalformedRequestBody(IOException cause) {
        lock.lock();
        try {
            if (phase == Phase.DONE) {
                return;
            }
            LOG.debug("Exchange {}: malformed chunked request body: {}", exchange == null ? "?" : exchange.id(), cause.toString());
            if (exchange != null) {
                notifyAbort(exchange.requestObservers(), cause);
            }
            releaseEndpoint(false);
            discardRequestBody = true;
            requestBody.clear();
            if (!responseHeadSent()) {
                closeAfterResponse = true;
                sendLocal(Response.text(400, "Bad Request: malformed chunked body"), false);
            } else {
                abort(cause);
            }
        } catch (IOException | HttpException | RuntimeException e) {
            abort(e);
        } finally {
            lock.unlock();
        }
    }

    private void tooLarge() throws IOException {
        notifyAbort(exchange.requestObservers(), new IOException("request body over the limit"));
        if (!responseHeadSent()) {
            closeAfterResponse = true;
            try {
                sendLocal(Response.text(413, "Content Too Large"), false);
            } catch (HttpException e) {
                abort(e);
            }
        } else {
            abort(new IOException("request body over the limit"));
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        lock.lock();
        try {
            requestEnded = true;
            if (discardRequestBody) {
                return;
            }
            requestTrailers = trailers;
            notifyEnd(exchange.requestObservers(), trailers);
            pushRequestBody();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            if (abortCause != null) {
                return 1;
            }
            if (lastBytesAwaitOriginEnd()) {
                return 0;
            }
            int buffered = responseBody.length();
            if (buffered > 0) {
                return buffered;
            }
            return responseEnded && !responseEndSent ? 1 : 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        lock.lock();
        try {
            clientChannel = channel;
            if (abortCause != null) {
                throw abortCause;
            }
            writeResponseBody(channel);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves buffered response bytes (and the end of the body) into the client's channel. Called
     * from {@link #produce} and, once the head is out, straight from the origin's callbacks: the
     * bytes then join the head in the connection's output buffer and leave in one write, instead
     * of waiting for the next output event (HttpCore flushes before it asks for more).
     */
    private void writeResponseBody(DataStreamChannel channel) throws IOException {
        if (lastBytesAwaitOriginEnd()) {
            return;
        }
        responseBody.writeTo(channel);
        if (responseBody.length() == 0 && responseEnded && !responseEndSent) {
            responseEndSent = true;
            channel.endStream(responseTrailers);
            if (responseTrailers != null && !responseTrailers.isEmpty()) {
                notifyEnd(exchange.responseObservers(), responseTrailers);
            } else {
                notifyEnd(exchange.responseObservers(), null);
            }
            finish(Outcome.Kind.COMPLETED, null);
            lingerIfRequestUnread();
            return;
        }
        if (phase == Phase.RESPONDING) {
            responseBody.grant(originCapacity);
        }
    }

    /**
     * While nothing is buffered, origin bytes go straight into the client's channel: a streamed
     * body then needs no per-exchange buffer at all (less garbage, fewer collections). What the
     * channel does not take is buffered as usual. The last bytes of a Content-Length body still
     * wait for the origin's end (see {@link #lastBytesAwaitOriginEnd}).
     */
    private void writeThrough(ByteBuffer src) {
        if (clientChannel == null || responseEndSent || responseBody.length() > 0 || lastBytesAwaitOriginEnd()) {
            return;
        }
        int n = src.remaining();
        try {
            clientChannel.write(src);
        } catch (IOException e) {
            LOG.debug("Exchange {}: client channel failed: {}", exchange.id(), e.toString());
            src.position(src.limit());
            abort(e);
            return;
        }
        responseBody.consumedWithoutBuffering(n - src.remaining());
    }

    /**
     * New response bytes or their end: straight to the client once its channel is known. A
     * failure of the client's channel ends this exchange here; it must not surface in the origin
     * leg's callback (whose connection may already be back in the pool, serving another exchange).
     */
    private void pushResponseBody() {
        if (clientChannel == null || responseEndSent) {
            return;
        }
        try {
            writeResponseBody(clientChannel);
            if (responseBody.length() > 0 && !lastBytesAwaitOriginEnd()) {
                clientChannel.requestOutput();
            }
        } catch (IOException e) {
            LOG.debug("Exchange {}: client channel failed: {}", exchange.id(), e.toString());
            abort(e);
        }
    }

    /** The request-side twin of {@link #writeResponseBody}, towards the origin. */
    private void writeRequestBody(DataStreamChannel channel) throws IOException {
        requestBody.writeTo(channel);
        if (requestBody.length() == 0 && requestEnded && !requestEndSent) {
            requestEndSent = true;
            channel.endStream(requestTrailers);
        }
        if (!discardRequestBody) {
            requestBody.grant(clientCapacity);
        }
    }

    /**
     * New request bytes or their end: the origin leg is asked for output and writes them in its
     * own produce(). Not written from here: an origin that answers early or resets must end its
     * own leg (502, retry, or discarding the rest of the body), not fail the client's callback.
     */
    private void pushRequestBody() {
        if (originChannel != null && !requestEndSent) {
            originChannel.requestOutput();
        }
    }

    /**
     * The response went out but the client is still sending a body nobody will read: discard
     * it for a short while (so the client can read the response, as nginx's lingering close),
     * then close the connection.
     */
    private void lingerIfRequestUnread() {
        if (requestEnded || !closeAfterResponse) {
            return;
        }
        ResponseChannel channel = responseChannel;
        engine.scheduler().schedule(channel::terminateExchange, LINGER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The whole Content-Length body has arrived but the origin leg has not ended yet: the client
     * gets the last bytes only after the origin connection went back to the pool, so that its
     * next request can reuse it.
     */
    private boolean lastBytesAwaitOriginEnd() {
        return origin != null && !responseEnded && responseEntity != null
                && responseEntity.getContentLength() >= 0 && responseBytes >= responseEntity.getContentLength();
    }

    @Override
    public void failed(Exception cause) {
        lock.lock();
        try {
            LOG.debug("Exchange {}: client side failed: {}", exchange == null ? "?" : exchange.id(), cause.toString());
            if (exchange != null) {
                if (!requestEnded) {
                    notifyAbort(exchange.requestObservers(), cause);
                }
                if (!responseEndSent) {
                    notifyAbort(exchange.responseObservers(), cause);
                }
            }
                releaseEndpoint(false);
            finish(Outcome.Kind.ABORTED, cause);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void releaseResources() {
        lock.lock();
        try {
                releaseEndpoint(false);
            if (phase != Phase.DONE) {
                finish(Outcome.Kind.ABORTED, new ConnectionClosedException("client connection closed"));
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- endings

    /** Aborts the client connection: after the response head, never a truncated "success". */
    private void abort(Exception cause) {
        releaseEndpoint(false);
        abortCause = cause instanceof IOException ? (IOException) cause : new IOException(cause);
        if (responseChannel != null) {
            responseChannel.terminateExchange();
        }
        finish(Outcome.Kind.ABORTED, cause);
    }

    private void finish(Outcome.Kind kind, Throwable failure) {
        if (outcomeReported) {
            return;
        }
        outcomeReported = true;
        phase = Phase.DONE;
        engine.exchangeEnded();
        if (chain == null || exchange == null) {
            return;
        }
        Outcome outcome = new Outcome(kind, clientResponse == null ? 0 : clientResponse.getCode(), requestBytes,
                responseBytes, System.nanoTime() - exchange.startNanos(), Optional.ofNullable(upstream),
                Optional.ofNullable(failure));
        chain.complete(outcome);
    }

    private static void notifyData(List<BodyObserver> observers, ByteBuffer src) {
        if (observers.isEmpty()) {
            return;
        }
        for (BodyObserver observer : observers) {
            ByteBuffer view = src.asReadOnlyBuffer();
            try {
                observer.onData(view);
            } catch (RuntimeException e) {
                LOG.warn("Body observer failed: {}", e.toString());
            }
        }
    }

    private static void notifyEnd(List<BodyObserver> observers, List<? extends Header> trailers) {
        if (observers.isEmpty()) {
            return;
        }
        HttpFields fields = HttpFields.empty();
        if (trailers != null && !trailers.isEmpty()) {
            MutableHttpFields copy = MutableHttpFields.create();
            for (Header trailer : trailers) {
                copy.add(trailer.getName(), trailer.getValue());
            }
            fields = copy.toImmutable();
        }
        for (BodyObserver observer : observers) {
            try {
                observer.onEnd(fields);
            } catch (RuntimeException e) {
                LOG.warn("Body observer failed: {}", e.toString());
            }
        }
    }

    private static void notifyAbort(List<BodyObserver> observers, Throwable cause) {
        for (BodyObserver observer : observers) {
            try {
                observer.onAbort(cause);
            } catch (RuntimeException e) {
                LOG.warn("Body observer failed: {}", e.toString());
            }
        }
    }

    private static boolean isTimeout(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException) {
                return true;
            }
            if (t instanceof ConnectException) {
                return false;
            }
        }
        return false;
    }

    private static String headerValue(HttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static InetSocketAddress toInet(SocketAddress address) {
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : new InetSocketAddress("0.0.0.0", 0);
    }

    private static String reasonPhrase(int status) {
        String reason = org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog.INSTANCE.getReason(status, null);
        return reason == null ? "Error" : reason;
    }
}
