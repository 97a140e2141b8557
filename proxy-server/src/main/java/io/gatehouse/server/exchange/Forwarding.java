package io.gatehouse.server.exchange;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.TraceContext;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.server.exchange.ExchangeFlow.Phase;
import io.gatehouse.server.upstream.UpstreamAttempts;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The exchange's way to the upstream, the flow's other half: the selector chosen by a filter or
 * the fallback, one attempt after another ({@link UpstreamAttempts}: lease, connect, report, the
 * one retry decision), and the {@link OriginLeg} of the current attempt, whose proxy→origin
 * request and origin→proxy response it handles. Guarded by the flow's lock; it decides what
 * happens on the origin side, and hands the client side to {@link ClientResponses}.
 */
final class Forwarding {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    /**
     * {@code Outcome.detail()} of an exchange whose upstream broke off after the response head had
     * gone to the client (the client connection is aborted: there is no answer to make).
     */
    static final String UPSTREAM_FAILED_MID_RESPONSE = "upstream_failed_mid_response";

    private final ExchangeFlow flow;
    private long attemptStartNanos;
    private long upstreamNanos = -1;
    private UpstreamAttempts attempts;
    private OriginLeg origin;
    private boolean expectContinue;
    private boolean requestHeadProduced;
    private boolean interimRelayed;
    private TunnelForwarding tunnel;
    private final BodyCollection bodyCollection;

    Forwarding(ExchangeFlow flow) {
        this.flow = flow;
        this.bodyCollection = new BodyCollection(flow);
    }

    /** @param waiting whether the client waits for {@code 100 Continue} before it sends its body */
    void expectContinue(boolean waiting) {
        expectContinue = waiting;
    }

    /** @param data request body bytes (not consumed), kept when a retry may need them */
    void keepForReplay(ByteBuffer data) {
        if (attempts != null && attempts.keepsReplayCopy()) {
            attempts.keepForReplay(data);
        }
    }

    /** @return the upstream of the current or last attempt */
    Optional<Upstream> upstream() {
        return attempts == null ? Optional.empty() : attempts.upstream();
    }

    /** @return the {@code traceparent} of the current attempt (its own span id as parent), when the exchange is traced */
    Optional<String> traceparent() {
        Optional<TraceContext> trace = flow.exchange.trace();
        if (trace.isEmpty() || attempts == null) {
            return Optional.empty();
        }
        return attempts.spanId().map(trace.get()::traceparent);
    }

    /** @return the number of attempts made */
    int attemptCount() {
        return attempts == null ? 0 : attempts.attempt();
    }


    /**
     * Starts forwarding (every onRequest hook has completed), at once or, for a small body of
     * declared length, once the body is all here ({@link BodyCollection}).
     */
    void startOnceBodyCollected() throws IOException, HttpException {
        if (!bodyCollection.waitFor(expectContinue)) {
            start();
        }
    }

    /** The client's body ended, or waiting for it took too long: forwarding starts if it waited for that. Under the lock. */
    void bodyCollected() throws IOException, HttpException {
        if (bodyCollection.stop()) {
            start();
        }
    }

    /** The exchange ended: a wait for the body is given up. Under the lock. */
    void abandonBodyWait() {
        bodyCollection.stop();
    }

    private void start() throws IOException, HttpException {
        Optional<UpstreamSelector> chosen = flow.exchange.upstreamSelector();
        if (chosen.isEmpty() && flow.exchange.cluster().isPresent()) {
            flow.detail = Optional.of(LocalResponses.NO_CLUSTER.detail());
            flow.client.sendLocal(LocalResponses.NO_CLUSTER.response(flow.exchange.cluster().get()), true);
            return;
        }
        UpstreamSelector selector = chosen.or(flow.services::fallbackSelector).orElse(null);
        if (selector == null) {
            flow.client.answer(LocalResponses.NO_UPSTREAM, true);
            return;
        }
        attempts = new UpstreamAttempts(selector);
        if (flow.exchange.trace().isPresent()) {
            attempts.trace(flow.timings);
        }
        if (flow.upgrade) {
            tunnel = new TunnelForwarding(flow, attempts);
            tunnel.start();
            return;
        }
        if (flow.hasRequestBody() && isIdempotent(flow.clientRequest.getMethod())) {
            // a non-idempotent request is never resent once its head left: no copy needed
            attempts.startReplayCopy(flow.requestEntity().getContentLength(), flow.request.view());
        }
        startAttempt();
    }

    /** The origin's response head of the current attempt arrived: the upstream time is measured. */
    void responseHeadArrived() {
        upstreamNanos = System.nanoTime() - attemptStartNanos;
    }

    /** @return the time to the origin's response head in the last attempt, when one arrived */
    Optional<Duration> upstreamTime() {
        return upstreamNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(upstreamNanos));
    }

    private void startAttempt() throws IOException, HttpException {
        attemptStartNanos = System.nanoTime();
        upstreamNanos = -1;
        Optional<Upstream> choice = attempts.next(flow.exchange);
        if (choice.isEmpty()) {
            flow.client.answer(LocalResponses.NO_HEALTHY_UPSTREAM, true);
            return;
        }
        if (expectContinue && flow.acceptsInterimResponses()) {
            expectContinue = false; // once, whatever the number of attempts
            flow.responseChannel.sendInformation(new BasicHttpResponse(100), flow.clientContext);
        }
        flow.phase = Phase.CONNECTING;
        requestHeadProduced = false; // this attempt has sent nothing yet
        if (!flow.services.origins().isOpen()) {
            flow.heads.closeAfterResponse();
            flow.client.answer(LocalResponses.SHUTTING_DOWN, true);
            return;
        }
        Timeout silence = Timeout.of(flow.exchange.responseTimeout().orElse(flow.services.config().timeouts().response()));
        attempts.lease(flow.services.origins(), flow.services.connectTimeout(), silence, flow.ioThread, new FutureCallback<>() {
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
        flow.lock();
        try {
            if (flow.phase != Phase.CONNECTING) {
                endpoint.releaseAndReuse(); // the exchange ended meanwhile; the connection is unused
                return;
            }
            origin = new OriginLeg(this, flow);
            flow.phase = Phase.FORWARDING;
            attempts.connected(endpoint, origin);
        } finally {
            flow.unlock();
        }
    }

    private void onConnectFailed(Exception cause) {
        flow.lock();
        try {
            if (flow.phase != Phase.CONNECTING) {
                return;
            }
            boolean timeout = isTimeout(cause);
            AttemptResult result = attempts.report(timeout ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.CONNECT_FAILURE, 0);
            if (retryIfWanted(result)) {
                return;
            }
            LOG.debug("Exchange {}: connect to {} failed: {}", flow.exchange.id(), attempts.upstream().orElse(null), cause.toString());
            flow.heads.closeAfterResponse();
            flow.client.answer(timeout ? LocalResponses.UPSTREAM_CONNECT_TIMEOUT : LocalResponses.UPSTREAM_CONNECT_FAILURE, true);
        } catch (IOException | HttpException e) {
            flow.client.abort(e);
        } finally {
            flow.unlock();
        }
    }

    /**
     * Asks for the one retry decision after {@code result}; on a retry, detaches the failed
     * attempt, puts the kept body back and starts the next attempt now or, after a delay, on this
     * the exchange's I/O thread.
     *
     * @return whether the exchange is taken care of: a retry was started or scheduled, or
     *     starting it failed and the client was answered
     */
    boolean retryIfWanted(AttemptResult result) {
        try {
            Optional<Duration> delay = attempts.retryDelay(flow.exchange, result, canResend());
            if (delay.isEmpty()) {
                return false;
            }
            if (result.kind() == AttemptResult.Kind.RESPONSE && !attempts.preselect(flow.exchange)) {
                return false; // no upstream left to try: the client gets this response, not a 503
            }
            LOG.debug("Exchange {}: attempt {} to {} ended with {}; retrying in {}", flow.exchange.id(), attempts.attempt(),
                    attempts.upstream().orElse(null), result, delay.get());
            boolean bodyLeft = requestHeadProduced && flow.hasRequestBody();
            origin = null;
            flow.request.receiver(null);
            flow.response.senderGone();
            attempts.release(false);
            if (bodyLeft) {
                flow.request.refill(attempts.replayBytes(), attempts.replayLength());
            }
            flow.phase = Phase.RETRY_WAIT;
            long millis = delay.get().toMillis();
            if (millis <= 0) {
                startAttempt();
            } else {
                flow.services.timer().schedule(() -> flow.ioThread.execute(this::retryNow), millis, TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (IOException | HttpException | RuntimeException e) {
            flow.client.failBeforeResponse(e);
            return true;
        }
    }

    private void retryNow() {
        flow.lock();
        try {
            if (flow.phase == Phase.RETRY_WAIT) {
                startAttempt();
            }
        } catch (IOException | HttpException | RuntimeException e) {
            flow.client.failBeforeResponse(e);
        } finally {
            flow.unlock();
        }
    }

    /**
     * Whether the request can go out again: nothing of the response reached the client, and the
     * request never left the proxy, or it is idempotent and its body (if any) is held whole.
     */
    private boolean canResend() {
        if (interimRelayed || flow.services.draining() || flow.request.discarding() || flow.phase == Phase.DONE) {
            return false;
        }
        if (!requestHeadProduced) {
            return true;
        }
        return isIdempotent(flow.clientRequest.getMethod()) && (!flow.hasRequestBody() || attempts.replayWhole());
    }

    /**
     * Whether a failed attempt (EOF or reset, never a timeout) met a stale pooled connection that
     * is safe to try again: the connection had served earlier exchanges, nothing of the response
     * arrived, and either the request never left the proxy (so its body, if any, is still held:
     * an HTTP/2 origin connection that went away before it started the stream), or it has no body
     * and is idempotent.
     */
    private boolean failedOnStaleConnection() {
        if (!attempts.reusedConnection() || flow.services.draining() || interimRelayed) {
            return false;
        }
        return !requestHeadProduced || (!flow.hasRequestBody() && isIdempotent(flow.clientRequest.getMethod()));
    }

    /**
     * Whether an HTTP/2 origin refused the stream ({@code RST_STREAM REFUSED_STREAM}: RFC 9113
     * §8.7 guarantees it processed nothing) and the request can go out again: nothing of the
     * response arrived, and the body, if any, is held whole.
     */
    private boolean refusedUnprocessed(Exception cause) {
        if (!(cause instanceof H2StreamResetException reset) || reset.getCode() != H2Error.REFUSED_STREAM.getCode()
                || flow.services.draining() || interimRelayed) {
            return false;
        }
        return !flow.hasRequestBody() || attempts.replayWhole();
    }

    // ---------------------------------------------------------------- the current attempt's leg

    /** @return whether {@code leg} is the current attempt's */
    boolean isCurrent(OriginLeg leg) {
        return origin == leg;
    }

    /** The current attempt's request head is going out: from now on a resend needs care. */
    void requestHeadProduced() {
        requestHeadProduced = true;
    }

    /** A 1xx response went to the client: the request cannot be sent again. */
    void interimRelayed() {
        interimRelayed = true;
    }

    /** Tells the selector how the current attempt ended. */
    AttemptResult report(AttemptResult.Kind kind, int status) {
        return attempts.report(kind, status);
    }

    /** The current attempt's connection failed: a retry, a 502/504, or an abort once the response is under way. */
    void attemptFailed(Exception cause) {
        if (!flow.services.origins().isOpen() && !flow.response.ended()) {
            cutByShutdown(cause);
            return;
        }
        if (flow.phase == Phase.FORWARDING) {
            boolean timeout = isTimeout(cause);
            AttemptResult result = !timeout && (failedOnStaleConnection() || refusedUnprocessed(cause)) ? attempts.reportStaleConnection()
                    : attempts.report(timeout ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.RESET, 0);
            if (retryIfWanted(result)) {
                return;
            }
            releaseOrigin(false);
            LOG.debug("Exchange {}: upstream {} failed before the response: {}", flow.exchange.id(), attempts.upstream().orElse(null),
                    cause.toString());
            flow.heads.closeAfterResponse();
            flow.client.answerQuietly(timeout ? LocalResponses.UPSTREAM_RESPONSE_TIMEOUT : LocalResponses.UPSTREAM_RESET, true);
            return;
        }
        releaseOrigin(false);
        if (flow.phase == Phase.RESPONSE_CHAIN && !flow.response.ended()) {
            // the head has not gone to the client yet: it can still get a clean 502
            LOG.debug("Exchange {}: upstream failed before its head was relayed: {}", flow.exchange.id(), cause.toString());
            flow.heads.closeAfterResponse();
            flow.client.answerQuietly(LocalResponses.UPSTREAM_FAILED_WHILE_RESPONDING, false);
        } else if (flow.phase == Phase.RESPONDING && !flow.response.ended()) {
            LOG.debug("Exchange {}: upstream failed mid-response: {}", flow.exchange.id(), cause.toString());
            flow.detail = Optional.of(UPSTREAM_FAILED_MID_RESPONSE);
            flow.client.abort(cause);
        }
    }

    /**
     * The shutdown grace ran out and the server closed the origin connections: the exchange is
     * cut by the shutdown, not failed by its upstream (which is neither blamed in the answer nor
     * reported to the selector).
     */
    private void cutByShutdown(Exception cause) {
        releaseOrigin(false);
        LOG.debug("Exchange {}: cut by the shutdown: {}", flow.exchange.id(), cause.toString());
        if (flow.phase == Phase.FORWARDING || flow.phase == Phase.RESPONSE_CHAIN) {
            flow.heads.closeAfterResponse();
            flow.client.answerQuietly(LocalResponses.SHUTTING_DOWN, flow.phase == Phase.FORWARDING);
        } else {
            flow.detail = Optional.of(LocalResponses.SHUTTING_DOWN.detail());
            flow.client.abort(cause);
        }
    }

    /**
     * Detaches the origin leg and gives its connection back. When the request body was not
     * fully sent, the rest of it is discarded (the client may still read the response).
     */
    void releaseOrigin(boolean reusable) {
        if (tunnel != null) {
            tunnel.abandon();
        }
        origin = null;
        flow.request.receiver(null);
        if (!flow.requestFullySent() && flow.phase != Phase.REQUEST_CHAIN && flow.phase != Phase.CONNECTING) {
            flow.intake.discardBody();
        }
        if (attempts != null) {
            attempts.release(reusable);
        }
    }

    /** @return whether an origin leg is attached */
    boolean originAttached() {
        return origin != null;
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
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof ConnectionRequestTimeoutException) {
                return true;
            }
            if (t instanceof ConnectException) {
                return false;
            }
        }
        return false;
    }
}
