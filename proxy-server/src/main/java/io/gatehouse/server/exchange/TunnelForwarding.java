package io.gatehouse.server.exchange;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Response;
import io.gatehouse.api.Upstream;
import io.gatehouse.server.exchange.ExchangeFlow.Phase;
import io.gatehouse.server.tunnel.Handshake;
import io.gatehouse.server.tunnel.OriginResponseHead;
import io.gatehouse.server.tunnel.OriginSide;
import io.gatehouse.server.tunnel.Tunnel;
import io.gatehouse.server.tunnel.UpgradableConnection;
import io.gatehouse.server.upstream.UpstreamAttempts;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The way of a WebSocket upgrade request after the request chain let it through: one upstream
 * chosen by the selector, a tunnel of its own (never a pooled connection), the request written by
 * the tunnel. A 101 ends the exchange and hands the client connection to the tunnel; any other
 * answer is relayed as a response through the response chain, the client connection stays
 * usable. No retries: the upgrade is tried once. Guarded by the flow's lock; the tunnel's
 * callbacks come back on the exchange's I/O thread.
 */
final class TunnelForwarding implements Handshake {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelForwarding.class);

    private final ExchangeFlow flow;
    private final UpstreamAttempts attempts;
    private Tunnel tunnel;
    private boolean switched;

    TunnelForwarding(ExchangeFlow flow, UpstreamAttempts attempts) {
        this.flow = flow;
        this.attempts = attempts;
    }

    void start() throws IOException, HttpException {
        Optional<Upstream> choice = attempts.next(flow.exchange);
        if (choice.isEmpty()) {
            flow.client.answer(LocalResponses.NO_HEALTHY_UPSTREAM, true);
            return;
        }
        if (!flow.services.origins().isOpen()) {
            flow.heads.closeAfterResponse();
            flow.client.answer(LocalResponses.SHUTTING_DOWN, true);
            return;
        }
        Optional<Tunnel> opened = flow.services.tunnels().open();
        if (opened.isEmpty()) {
            flow.client.answer(flow.services.draining() ? LocalResponses.SHUTTING_DOWN : LocalResponses.TOO_MANY_TUNNELS, true);
            return;
        }
        // WebSocket is an HTTP/1.1 upgrade, also to an upstream the proxy otherwise speaks HTTP/2 to
        Upstream upstream = new Upstream(choice.get().httpScheme(), choice.get().host(), choice.get().port());
        HttpRequest head = OriginRequests.build(flow.clientRequest, upstream, null, true, flow.exchange.originHost(),
                flow.services.config().forwarding().preserveHost(), false);
        head.setHeader("Connection", "Upgrade");
        head.setHeader("Upgrade", "websocket");
        if (ProxyHeaders.hasForbiddenCharacters(head)) {
            opened.get().close(CloseMode.IMMEDIATE);
            flow.client.answer(LocalResponses.INTERNAL_ERROR, true);
            return;
        }
        tunnel = opened.get();
        OriginSide side = tunnel.originSide(serialize(head), this);
        flow.phase = Phase.CONNECTING;
        Timeout silence = Timeout.of(flow.exchange.responseTimeout().orElse(flow.services.config().timeouts().response()));
        flow.services.origins().openTunnel(new HttpHost(upstream.scheme(), upstream.host(), upstream.port()),
                flow.services.connectTimeout(), side, new FutureCallback<>() {
                    @Override
                    public void completed(IOSession session) {
                        session.setSocketTimeout(silence);
                        side.start(session);
                    }

                    @Override
                    public void failed(Exception cause) {
                        connectFailed(cause);
                    }

                    @Override
                    public void cancelled() {
                        connectFailed(new ConnectionClosedException("connect cancelled"));
                    }
                });
    }

    @Override
    public void upgraded(OriginResponseHead head) {
        flow.ioThread.execute(() -> {
            flow.lock();
            try {
                if (flow.phase != Phase.CONNECTING) {
                    tunnel.close(CloseMode.IMMEDIATE); // the client went away meanwhile
                    return;
                }
                switched = true;
                attempts.report(AttemptResult.Kind.RESPONSE, head.status());
                flow.client.originHead(new BasicHttpResponse(head.status(), head.reason()));
                flow.finish(Outcome.Kind.COMPLETED, null);
                ((UpgradableConnection) flow.ioThread).switchTo(tunnel.clientSide());
            } catch (RuntimeException e) {
                LOG.debug("Exchange {}: switching to the tunnel failed: {}", flow.exchange.id(), e.toString());
                tunnel.close(CloseMode.IMMEDIATE);
            } finally {
                flow.unlock();
            }
        });
    }

    @Override
    public void answered(OriginResponseHead head, byte[] body) {
        flow.ioThread.execute(() -> {
            flow.lock();
            try {
                if (flow.phase != Phase.CONNECTING) {
                    return;
                }
                attempts.report(AttemptResult.Kind.RESPONSE, head.status());
                Response.Builder answer = Response.status(head.status());
                for (OriginResponseHead.Field field : head.fields()) {
                    if (!ProxyHeaders.isHopByHop(field.name())) {
                        answer.header(field.name(), field.value());
                    }
                }
                flow.client.sendLocal(answer.body(body).build(), true);
            } catch (IOException | HttpException | RuntimeException e) {
                flow.client.failBeforeResponse(e);
            } finally {
                flow.unlock();
            }
        });
    }

    @Override
    public void failed(Exception cause) {
        flow.ioThread.execute(() -> {
            flow.lock();
            try {
                if (flow.phase != Phase.CONNECTING) {
                    return;
                }
                boolean timeout = cause instanceof SocketTimeoutException;
                attempts.report(timeout ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.RESET, 0);
                LOG.debug("Exchange {}: upgrade at {} failed: {}", flow.exchange.id(), attempts.upstream().orElse(null), cause.toString());
                flow.heads.closeAfterResponse();
                flow.client.answer(timeout ? LocalResponses.UPSTREAM_RESPONSE_TIMEOUT : LocalResponses.UPSTREAM_UPGRADE_FAILED, true);
            } catch (IOException | HttpException | RuntimeException e) {
                flow.client.failBeforeResponse(e);
            } finally {
                flow.unlock();
            }
        });
    }

    private void connectFailed(Exception cause) {
        tunnel.close(CloseMode.IMMEDIATE);
        flow.ioThread.execute(() -> {
            flow.lock();
            try {
                if (flow.phase != Phase.CONNECTING) {
                    return;
                }
                boolean timeout = cause instanceof SocketTimeoutException || cause instanceof java.util.concurrent.TimeoutException;
                attempts.report(timeout ? AttemptResult.Kind.TIMEOUT : AttemptResult.Kind.CONNECT_FAILURE, 0);
                flow.heads.closeAfterResponse();
                flow.client.answer(timeout ? LocalResponses.UPSTREAM_CONNECT_TIMEOUT : LocalResponses.UPSTREAM_CONNECT_FAILURE, true);
            } catch (IOException | HttpException | RuntimeException e) {
                flow.client.failBeforeResponse(e);
            } finally {
                flow.unlock();
            }
        });
    }

    /** The exchange ended without switching (client gone, local answer): the tunnel goes too. */
    void abandon() {
        if (tunnel != null && !switched) {
            tunnel.close(CloseMode.IMMEDIATE);
        }
    }

    private static ByteBuffer serialize(HttpRequest head) {
        StringBuilder text = new StringBuilder(256);
        text.append(head.getMethod()).append(' ').append(head.getPath()).append(" HTTP/1.1\r\n");
        for (Header header : head.getHeaders()) {
            text.append(header.getName()).append(": ").append(header.getValue()).append("\r\n");
        }
        text.append("\r\n");
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
