package io.gatehouse.server.upstream;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.server.tracing.ExchangeTimings;
import io.gatehouse.server.tracing.TraceIds;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The attempts of one exchange to reach an upstream: the selector asked once per attempt, the
 * leased connection, what each attempt reports back to the selector, the one decision whether
 * to try again, and the copy of the request body a retry sends. Guarded by the exchange's lock;
 * connection callbacks are handed to the exchange's I/O thread before they run.
 */
public final class UpstreamAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamAttempts.class);

    private final UpstreamSelector selector;
    private final ReplayBuffer replay = new ReplayBuffer();
    private Upstream upstream;
    private AsyncClientEndpoint endpoint;
    private int attempt;
    private long attemptStartNanos;
    private boolean reusedConnection;
    private boolean staleRetried;
    private Optional<Upstream> preselected = Optional.empty();
    private boolean traced;
    private ExchangeTimings timings = ExchangeTimings.OFF;
    private String spanId;
    private int timedAttempt;

    /** @param selector chooses each attempt's upstream and decides retries */
    public UpstreamAttempts(UpstreamSelector selector) {
        this.selector = selector;
    }

    /**
     * Gives every attempt its own span id (sent as the parent in its {@code traceparent}), and
     * records each attempt's end in {@code timings} (off when the exchange is not sampled).
     *
     * @param timings the exchange's recorder
     */
    public void trace(ExchangeTimings timings) {
        this.traced = true;
        this.timings = timings;
    }

    /** @return the span id of the current attempt, when the exchange has a trace context */
    public Optional<String> spanId() {
        return Optional.ofNullable(spanId);
    }

    /**
     * Starts the next attempt: asks the selector for its upstream.
     *
     * @param exchange the exchange
     * @return the upstream, or empty when the selector has none (503)
     */
    public Optional<Upstream> next(Exchange exchange) {
        attemptStartNanos = System.nanoTime();
        reusedConnection = false;
        if (traced) {
            spanId = TraceIds.spanId();
        }
        if (preselected.isPresent()) {
            Optional<Upstream> chosen = preselected;
            preselected = Optional.empty();
            return chosen; // chosen, and counted, when the retry was decided
        }
        attempt++;
        Optional<Upstream> choice = selector.select(exchange, attempt);
        if (choice.isEmpty()) {
            attempt--; // no attempt was made: the exchange is answered 503
            return choice;
        }
        upstream = choice.get();
        return choice;
    }

    /**
     * Chooses the upstream of the next attempt now, before the current attempt's response is
     * discarded for a retry: when there is none, the client gets that response instead of a 503.
     *
     * @param exchange the exchange
     * @return whether there is an upstream for the next attempt
     */
    public boolean preselect(Exchange exchange) {
        attempt++;
        preselected = selector.select(exchange, attempt);
        if (preselected.isEmpty()) {
            attempt--;
            return false;
        }
        upstream = preselected.get();
        return true;
    }

    /**
     * Leases a connection to this attempt's upstream.
     *
     * @param origins the pools
     * @param connectTimeout bound on waiting for a pooled connection plus connecting
     * @param silence how long the origin may stay silent once the request is out
     * @param ioThread the exchange's I/O thread: the callback runs there
     * @param callback told of the connection or the failure
     */
    public void lease(OriginConnections origins, Timeout connectTimeout, Timeout silence, Executor ioThread,
                      FutureCallback<AsyncClientEndpoint> callback) {
        HttpHost target = new HttpHost(upstream.scheme(), upstream.host(), upstream.port());
        origins.lease(target, connectTimeout, silence, new FutureCallback<>() {
            @Override
            public void completed(AsyncClientEndpoint result) {
                ioThread.execute(() -> callback.completed(result));
            }

            @Override
            public void failed(Exception cause) {
                ioThread.execute(() -> callback.failed(cause));
            }

            @Override
            public void cancelled() {
                ioThread.execute(callback::cancelled);
            }
        });
    }

    /**
     * The attempt has its connection; the selector hears that it is no longer pending.
     *
     * @param connected the leased connection
     * @param leg the origin leg that sends this attempt's request
     */
    public void connected(AsyncClientEndpoint connected, AsyncClientExchangeHandler leg) {
        endpoint = connected;
        reusedConnection = OriginConnections.wasReused(connected);
        try {
            selector.onConnected(upstream);
        } catch (RuntimeException e) {
            LOG.warn("Upstream selector failed in onConnected: {}", e.toString());
        }
        connected.execute(leg, null, HttpCoreContext.create());
    }

    /**
     * Tells the selector how this attempt ended.
     *
     * @param kind the kind of ending
     * @param status the response status, 0 when none
     * @return the result as reported
     */
    public AttemptResult report(AttemptResult.Kind kind, int status) {
        return report(AttemptResult.of(kind, status, System.nanoTime() - attemptStartNanos));
    }

    /**
     * Tells the selector that this attempt met a stale pooled connection (not the upstream's failure).
     *
     * @return the result as reported
     */
    public AttemptResult reportStaleConnection() {
        return report(AttemptResult.staleConnection(System.nanoTime() - attemptStartNanos));
    }

    private AttemptResult report(AttemptResult result) {
        if (timings.on() && upstream != null && timedAttempt != attempt) {
            timedAttempt = attempt; // one step per attempt, whatever reports follow
            timings.attempt(upstream, attempt, attemptStartNanos,
                    result.staleConnection() ? "stale_connection" : result.kind().name().toLowerCase(Locale.ROOT),
                    result.status(), spanId);
        }
        if (upstream != null) {
            try {
                selector.onAttemptResult(upstream, result);
            } catch (RuntimeException e) {
                LOG.warn("Upstream selector failed in onAttemptResult: {}", e.toString());
            }
        }
        return result;
    }

    /**
     * The one retry decision, asked after {@link #report} when nothing of the response reached
     * the client. An attempt that met a stale pooled connection (the origin closed it while idle;
     * never a timeout) is retried at once, once per exchange, if the selector agrees (a balancer
     * charges its retry budget): the request never reached a live origin. Otherwise the selector's
     * retry policy decides, and only for a request that can be sent again.
     *
     * @param exchange the exchange
     * @param result how the attempt ended
     * @param resendable whether the request can go out again (see the selector's contract)
     * @return the delay before the next attempt, or empty for no retry
     */
    public Optional<Duration> retryDelay(Exchange exchange, AttemptResult result, boolean resendable) {
        if (result.staleConnection() && !staleRetried) {
            staleRetried = true;
            return agrees(exchange) ? Optional.of(Duration.ZERO) : Optional.empty();
        }
        if (!resendable) {
            return Optional.empty();
        }
        try {
            return selector.retry(exchange, attempt, result);
        } catch (RuntimeException e) {
            LOG.warn("Upstream selector failed in retry: {}", e.toString());
            return Optional.empty();
        }
    }

    private boolean agrees(Exchange exchange) {
        try {
            return selector.retryStaleConnection(exchange, attempt);
        } catch (RuntimeException e) {
            LOG.warn("Upstream selector failed in retryStaleConnection: {}", e.toString());
            return false;
        }
    }

    /**
     * Gives the connection back: to the pool when both directions ended cleanly, else closed.
     *
     * @param reusable whether the connection can serve another exchange
     */
    public void release(boolean reusable) {
        if (endpoint == null) {
            return;
        }
        AsyncClientEndpoint held = endpoint;
        endpoint = null;
        if (reusable) {
            held.releaseAndReuse();
        } else {
            held.releaseAndDiscard();
        }
    }

    /**
     * Starts the body copy for retries if the selector wants one.
     *
     * @param declaredLength the body's declared length, negative when unknown
     * @param soFar the bytes received so far (a view, copied only when a copy is wanted)
     */
    public void startReplayCopy(long declaredLength, ByteBuffer soFar) {
        int cap = selector.replayBufferSize();
        if (cap > 0) {
            replay.start(cap, declaredLength, soFar);
        }
    }

    /** @return whether a body copy is being kept */
    public boolean keepsReplayCopy() {
        return replay.active();
    }

    /** @param data request body bytes (not consumed), copied when a copy is kept */
    public void keepForReplay(ByteBuffer data) {
        replay.keep(data);
    }

    /** @return whether the whole body received so far is held for a retry */
    public boolean replayWhole() {
        return replay.whole();
    }

    /** @return the kept body */
    public byte[] replayBytes() {
        return replay.bytes();
    }

    /** @return the kept body's length */
    public int replayLength() {
        return replay.length();
    }

    /** @return the number of attempts that reached the point of connecting */
    public int attempt() {
        return attempt;
    }

    /** @return the upstream of the current or last attempt, if any */
    public Optional<Upstream> upstream() {
        return Optional.ofNullable(upstream);
    }

    /** @return whether the current attempt's connection had served earlier exchanges */
    public boolean reusedConnection() {
        return reusedConnection;
    }
}
