package io.gatehouse.server.exchange;

import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The origin side of one attempt, as HttpCore's client exchange handler: the proxy→origin
 * request (head and body) and the origin→proxy response (interim heads, head, body, trailers).
 * Every call goes to the {@link ExchangeFlow}; a leg that is no longer the flow's current attempt
 * is ignored there.
 */
final class OriginLeg implements AsyncClientExchangeHandler {

    private final ExchangeFlow flow;

    OriginLeg(ExchangeFlow flow) {
        this.flow = flow;
    }

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        HttpRequest head = flow.originRequest(this)
                .orElseThrow(() -> new ConnectionClosedException("exchange already ended"));
        channel.sendRequest(head, flow.originRequestEntity(), context);
    }

    @Override
    public int available() {
        return flow.originAvailable(this);
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        flow.originProduce(this, channel);
    }

    @Override
    public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
        flow.originInformation(this, response);
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context)
            throws HttpException, IOException {
        flow.originResponse(this, response, entityDetails);
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        flow.originCapacity(this, capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) {
        flow.originData(this, src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        flow.originEnd(this, trailers);
    }

    @Override
    public void failed(Exception cause) {
        flow.originFailed(this, cause);
    }

    @Override
    public void cancel() {
        failed(new ConnectionClosedException("upstream exchange cancelled"));
    }

    @Override
    public void releaseResources() {
        flow.originReleased(this);
    }
}
