package io.gatehouse.server.outbound;

import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.outbound.OutboundException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.server.chain.PluginThreads;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedSelectorException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's {@link OutboundClient}: one httpclient5 async client (HTTP/1.1, a bounded pool,
 * {@link OutboundSettings#ioThreads()} I/O threads named {@code gatehouse-outbound-N}), built and
 * started on the first call, so a server whose filters make none has no such threads. Each call
 * has a deadline of its request's timeout, kept on the filters' timer; its body is read by a
 * {@link BoundedResponseConsumer}. No redirects, retries, cookies, authentication or content
 * decoding. Host names are resolved on threads of their own ({@link HostAddresses}), never on the
 * caller's thread. {@link #close()} fails the calls still in flight and closes every connection.
 */
public final class OutboundHttpClient implements OutboundClient, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundHttpClient.class);
    /** How often the client's reactor checks its timeouts (HttpCore's default is a second). */
    static final TimeValue SELECT_INTERVAL = TimeValue.ofMilliseconds(100);

    private final OutboundSettings settings;
    private final ScheduledExecutorService timer;
    private final HostAddresses hosts;
    private final Set<OutboundCall> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Optional<CloseableHttpAsyncClient> client = Optional.empty();
    private Optional<ScheduledFuture<?>> idleSweep = Optional.empty();
    private boolean closed;

    /**
     * @param settings the pool and threads
     * @param timer where the calls' deadlines run (the filters' timer: a deadline completes the call's stage there)
     */
    public OutboundHttpClient(OutboundSettings settings, ScheduledExecutorService timer) {
        this(settings, timer, HostAddresses.system());
    }

    OutboundHttpClient(OutboundSettings settings, ScheduledExecutorService timer, HostAddresses hosts) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
    }

    @Override
    public CompletionStage<OutboundResponse> send(OutboundRequest request) {
        Objects.requireNonNull(request, "request");
        OutboundCall call = new OutboundCall(request);
        Optional<CloseableHttpAsyncClient> running = running();
        if (running.isEmpty()) {
            call.completeExceptionally(new OutboundException(request + ": the outbound client is closed (the server is stopping)"));
            return call;
        }
        inFlight.add(call);
        call.whenComplete((response, failure) -> inFlight.remove(call));
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(call::expire, backstop(request.timeout()).toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            call.completeExceptionally(new OutboundException(request + ": the outbound client is closed (the server is stopping)"));
            return call;
        }
        String host = Objects.requireNonNullElse(request.uri().getHost(), "");
        if (host.isEmpty() || hosts.isReady(host)) {
            start(running.get(), request, call, deadline);
        } else { // the lookup may block: never on the caller's thread (often an I/O thread) nor on the client's
            hosts.resolveAhead(host).thenRun(() -> {
                if (!call.isDone()) {
                    start(running.get(), request, call, deadline);
                }
            });
        }
        return call;
    }

    /**
     * When the call's own timer gives up: a little after the timeout, so that a silent origin is
     * normally ended by httpclient5's response timeout (the same length, checked every
     * {@link #SELECT_INTERVAL}), which closes its connection; the timer is the backstop for the
     * rest (a slow pool, an origin that drips). A call cancelled while its response is awaited is
     * not certain to take its connection out of the pool (seen on a loaded machine).
     */
    static java.time.Duration backstop(java.time.Duration timeout) {
        long grace = Math.min(1000, Math.max(2 * SELECT_INTERVAL.toMilliseconds(), timeout.toMillis() / 10));
        return timeout.plusMillis(grace);
    }

    private static void start(CloseableHttpAsyncClient client, OutboundRequest request, OutboundCall call, ScheduledFuture<?> deadline) {
        Future<OutboundResponse> exchange;
        try {
            exchange = execute(client, request, call);
        } catch (RuntimeException e) { // a client closed in the meantime
            deadline.cancel(false);
            call.completeExceptionally(OutboundFailures.of(request, e));
            return;
        }
        call.started(exchange, deadline);
    }

    private static Future<OutboundResponse> execute(CloseableHttpAsyncClient client, OutboundRequest request, OutboundCall call) {
        return client.execute(producer(request), new BoundedResponseConsumer(request), null,
                context(request), new FutureCallback<>() {
                    @Override
                    public void completed(OutboundResponse response) {
                        call.complete(response);
                    }

                    @Override
                    public void failed(Exception failure) {
                        call.completeExceptionally(OutboundFailures.of(request, failure));
                    }

                    @Override
                    public void cancelled() {
                        call.completeExceptionally(new OutboundException(request + ": abandoned"));
                    }
                });
    }

    private static BasicRequestProducer producer(OutboundRequest request) {
        BasicHttpRequest head = new BasicHttpRequest(request.method(), request.uri());
        request.headers().forEach(head::addHeader);
        boolean sendsBody = request.bodyLength() > 0 || Set.of("POST", "PUT", "PATCH").contains(request.method());
        AsyncEntityProducer body = sendsBody ? new BasicAsyncEntityProducer(request.body(), null) : null;
        return new BasicRequestProducer(head, body);
    }

    private static HttpClientContext context(OutboundRequest request) {
        Timeout timeout = Timeout.of(request.timeout().toNanos(), TimeUnit.NANOSECONDS);
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(timeout)
                .setHardCancellationEnabled(true)
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setContentCompressionEnabled(false)
                .setExpectContinueEnabled(false)
                .build());
        return context;
    }

    /** @return the started client, built on the first call; empty once closed */
    private Optional<CloseableHttpAsyncClient> running() {
        Optional<CloseableHttpAsyncClient> started = client;
        return started.isPresent() ? started : start();
    }

    private synchronized Optional<CloseableHttpAsyncClient> start() {
        if (closed) {
            return Optional.empty();
        }
        if (client.isEmpty()) {
            PoolingAsyncClientConnectionManager pool = pool(settings, hosts);
            CloseableHttpAsyncClient built = build(settings, pool);
            built.start();
            // idle pooled connections are closed by a sweep on the timer (httpclient5's own evictor is a thread of its own)
            long period = Math.max(100, settings.idleTimeout().toMillis() / 4);
            TimeValue idle = TimeValue.ofMilliseconds(settings.idleTimeout().toMillis());
            idleSweep = Optional.of(timer.scheduleWithFixedDelay(() -> pool.closeIdle(idle), period, period, TimeUnit.MILLISECONDS));
            client = Optional.of(built);
        }
        return client;
    }

    private static PoolingAsyncClientConnectionManager pool(OutboundSettings settings, HostAddresses hosts) {
        return PoolingAsyncClientConnectionManagerBuilder.create()
                .setDnsResolver(hosts)
                .setMaxConnPerRoute(settings.maxPerRoute())
                .setMaxConnTotal(settings.maxTotal())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(30)) // each call's own deadline is usually shorter
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
    }

    private static CloseableHttpAsyncClient build(OutboundSettings settings, PoolingAsyncClientConnectionManager pool) {
        return HttpAsyncClients.custom()
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(settings.ioThreads()).setTcpNoDelay(true)
                        .setSelectInterval(SELECT_INTERVAL).build())
                .setThreadFactory(PluginThreads.daemonThreads("gatehouse-outbound"))
                .setConnectionManager(pool)
                .setIoReactorExceptionCallback(OutboundHttpClient::reactorFailed)
                .setUserAgent("gatehouse")
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .disableContentCompression()
                .build();
    }

    /** httpclient5 logs these at ERROR; an immediate close races its workers' own cleanup (ClosedSelectorException). */
    private static void reactorFailed(Exception failure) {
        if (failure instanceof ClosedSelectorException) {
            LOG.debug("Outbound client: {} while closing", failure.toString());
        } else {
            LOG.warn("Outbound client: I/O reactor failure", failure);
        }
    }

    /** @return calls whose stage has not completed yet (for tests) */
    public int inFlight() {
        return inFlight.size();
    }

    /** Fails the calls in flight and closes every connection. Idempotent. */
    @Override
    public void close() {
        Optional<CloseableHttpAsyncClient> toClose;
        synchronized (this) {
            closed = true;
            idleSweep.ifPresent(sweep -> sweep.cancel(false));
            toClose = client;
            client = Optional.empty();
        }
        for (OutboundCall call : inFlight) {
            call.completeExceptionally(new OutboundException(call.request() + ": the outbound client closed (the server is stopping)"));
        }
        toClose.ifPresent(c -> c.close(CloseMode.IMMEDIATE)); // a graceful close waits up to 5 s for open connections
        hosts.close();
    }
}
