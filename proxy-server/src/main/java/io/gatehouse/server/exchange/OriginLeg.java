package io.gatehouse.server.exchange;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.server.exchange.ExchangeFlow.Phase;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The origin side of one attempt, as HttpCore's client exchange handler: the proxy→origin
 * request (head and body) and the origin→proxy response (interim heads, head, body, trailers).
 * Each call takes the flow's lock and does nothing once this leg is no longer the current
 * attempt (a retry started, or the exchange ended); failures go to {@link Forwarding}, which
 * decides between a retry, a 502/504 and an abort.
 */
final class OriginLeg implements AsyncClientExchangeHandler {

    private final Forwarding forwarding;
    private final ExchangeFlow flow;

    OriginLeg(Forwarding forwarding, ExchangeFlow flow) {
        this.forwarding = forwarding;
        this.flow = flow;
    }

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        HttpRequest head;
        flow.lock();
        try {
            if (!forwarding.isCurrent(this)) {
                throw new ConnectionClosedException("exchange already ended");
            }
            forwarding.requestHeadProduced();
            head = OriginRequests.build(flow.clientRequest, forwarding.upstream().orElseThrow(), flow.requestEntity(),
                    flow.filtered(), flow.exchange.originHost(), flow.services.config().forwarding().preserveHost(),
                    flow.acceptsTrailers);
            forwarding.traceparent().ifPresent(value -> OriginRequests.traceparent(head, value));
        } finally {
            flow.unlock();
        }
        EntityDetails body = flow.hasRequestBody() ? new BasicEntityDetails(flow.requestEntity().getContentLength(), null) : null;
        channel.sendRequest(head, body, context);
    }

    @Override
    public int available() {
        flow.lock();
        try {
            return forwarding.isCurrent(this) ? flow.request.available() : 0;
        } finally {
            flow.unlock();
        }
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        flow.lock();
        try {
            if (forwarding.isCurrent(this)) {
                flow.request.receiver(channel);
                flow.request.flush(channel);
                flow.request.grant();
            }
        } finally {
            flow.unlock();
        }
    }

    @Override
    public void consumeInformation(HttpResponse interim, HttpContext context) throws HttpException, IOException {
        flow.lock();
        try {
            if (!forwarding.isCurrent(this) || flow.phase != Phase.FORWARDING || interim.getCode() == 101
                    || !flow.acceptsInterimResponses()) {
                return;
            }
            BasicHttpResponse relayed = new BasicHttpResponse(interim.getCode());
            relayed.setHeaders(interim.getHeaders());
            ProxyHeaders.stripHopByHop(relayed);
            forwarding.interimRelayed();
            flow.responseChannel.sendInformation(relayed, flow.clientContext);
        } finally {
            flow.unlock();
        }
    }

    @Override
    public void consumeResponse(HttpResponse head, EntityDetails entity, HttpContext context) throws HttpException, IOException {
        int token;
        flow.lock();
        try {
            if (!forwarding.isCurrent(this) || flow.phase != Phase.FORWARDING) {
                return;
            }
            if (ProxyHeaders.hasForbiddenCharacters(head)) {
                forwarding.report(AttemptResult.Kind.RESET, 0);
                forwarding.releaseOrigin(false);
                flow.heads.closeAfterResponse();
                flow.client.answer(LocalResponses.UPSTREAM_INVALID_HEADER, true);
                return;
            }
            if (forwarding.retryIfWanted(forwarding.report(AttemptResult.Kind.RESPONSE, head.getCode()))) {
                return;
            }
            forwarding.responseHeadArrived();
            // A copy: HttpCore still reads the origin's head (framing, Connection) to decide reuse.
            BasicHttpResponse outgoing = new BasicHttpResponse(head.getCode(), head.getReasonPhrase());
            outgoing.setHeaders(head.getHeaders());
            ProxyHeaders.stripHopByHop(outgoing);
            ProxyHeaders.addVia(outgoing, head.getVersion(), flow.services.config().forwarding().via());
            flow.client.originHead(outgoing);
            flow.responseEntity = entity;
            flow.response.expect(entity == null ? 0 : entity.getContentLength());
            if (entity == null) {
                flow.response.receivedEnd(null);
                Header length = head.getFirstHeader("Content-Length");
                if (flow.heads.headRequest() && length != null) {
                    outgoing.setHeader("Content-Length", length.getValue());
                    flow.heads.originHeadLength(length.getValue());
                }
                forwarding.releaseOrigin(flow.requestFullySent());
            }
            flow.exchange.setResponse(outgoing, entity == null ? 0 : entity.getContentLength(), Optional.empty());
            flow.phase = Phase.RESPONSE_CHAIN;
            token = flow.client.newResponseChain();
        } finally {
            flow.unlock();
        }
        flow.chain.runResponse(result -> flow.client.onResponseChainDone(result, token));
    }

    @Override
    public void updateCapacity(CapacityChannel capacity) throws IOException {
        flow.lock();
        try {
            if (forwarding.isCurrent(this)) {
                flow.response.senderCapacity(capacity, flow.response.receiver() != null || flow.response.buffered() == 0);
            }
        } finally {
            flow.unlock();
        }
    }

    @Override
    public void consume(ByteBuffer src) {
        flow.lock();
        try {
            if (!forwarding.isCurrent(this) || flow.phase == Phase.DONE) {
                src.position(src.limit());
                return;
            }
            flow.response.count(src.remaining());
            flow.client.relay().originData(src);
        } finally {
            flow.unlock();
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        flow.lock();
        try {
            if (forwarding.isCurrent(this)) {
                flow.client.relay().originEnd(trailers);
                forwarding.releaseOrigin(flow.requestFullySent());
                flow.client.relay().pushResponseBody();
            }
        } finally {
            flow.unlock();
        }
    }

    @Override
    public void failed(Exception cause) {
        flow.lock();
        try {
            if (forwarding.isCurrent(this)) {
                forwarding.attemptFailed(cause);
            }
        } finally {
            flow.unlock();
        }
    }

    @Override
    public void cancel() {
        failed(new ConnectionClosedException("upstream exchange cancelled"));
    }

    @Override
    public void releaseResources() {
        flow.lock();
        try {
            if (forwarding.isCurrent(this) && !flow.response.ended() && flow.phase != Phase.DONE) {
                forwarding.attemptFailed(new ConnectionClosedException("upstream connection closed"));
            }
        } finally {
            flow.unlock();
        }
    }
}
