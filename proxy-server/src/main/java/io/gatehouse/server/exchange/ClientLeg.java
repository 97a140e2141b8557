package io.gatehouse.server.exchange;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The client side of one exchange, as HttpCore's server exchange handler: the client→proxy
 * request (head, body, trailers) and the proxy→client response. Every call goes to the
 * exchange's {@link ExchangeFlow}.
 */
public final class ClientLeg implements AsyncServerExchangeHandler {

    private final ExchangeFlow flow;

    /**
     * @param services what every exchange shares
     * @param ioThread the client connection's I/O thread, where timers and asynchronous
     *     completions hand their work
     * @param order keeps the connection's pipelined exchanges in order
     */
    public ClientLeg(ExchangeServices services, Executor ioThread, PipelineOrder order) {
        this.flow = new ExchangeFlow(services, ioThread, order);
    }

    /**
     * An exchange without pipelining order (tests).
     *
     * @param services what every exchange shares
     * @param ioThread where its deferred work runs
     */
    public ClientLeg(ExchangeServices services, Executor ioThread) {
        this(services, ioThread, PipelineOrder.unordered());
    }

    /**
     * The chunked request body broke off with bad framing (see the listener's body guard).
     *
     * @param cause what was wrong
     */
    public void malformedRequestBody(IOException cause) {
        flow.intake.malformed(cause);
    }

    @Override
    public void handleRequest(HttpRequest request, EntityDetails entityDetails, ResponseChannel responseChannel,
                              HttpContext context) throws HttpException, IOException {
        flow.handleRequest(request, entityDetails, responseChannel, context);
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        flow.intake.capacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        flow.intake.data(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        flow.intake.end(trailers);
    }

    @Override
    public int available() {
        return flow.client.relay().available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        flow.client.relay().produce(channel);
    }

    @Override
    public void failed(Exception cause) {
        flow.clientFailed(cause);
    }

    @Override
    public void releaseResources() {
        flow.clientReleased();
    }
}
