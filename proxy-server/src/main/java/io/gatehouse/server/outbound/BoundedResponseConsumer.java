package io.gatehouse.server.outbound;

import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.ResponseTooLargeException;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one response into an {@link OutboundResponse}, refusing a body longer than the
 * request's cap: at the head when its {@code Content-Length} says so, else as soon as a byte past
 * the cap arrives. Refusing throws {@link ResponseTooLargeException}, which fails the exchange, so
 * httpclient5 closes the connection instead of reusing it.
 */
final class BoundedResponseConsumer implements AsyncResponseConsumer<OutboundResponse> {

    private static final int FIRST_BUFFER = 8 * 1024;

    private final OutboundRequest request;
    private final long cap;
    private int status;
    private MutableHttpFields headers;
    private byte[] body = new byte[0];
    private int length;
    private FutureCallback<OutboundResponse> done;

    BoundedResponseConsumer(OutboundRequest request) {
        this.request = request;
        this.cap = request.maxResponseBody();
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                FutureCallback<OutboundResponse> resultCallback) throws ResponseTooLargeException {
        status = response.getCode();
        headers = MutableHttpFields.create();
        for (Header header : response.getHeaders()) {
            try {
                headers.add(header.getName(), header.getValue());
            } catch (IllegalArgumentException e) {
                // a field the API cannot carry (a name that is not a token): left out
            }
        }
        if (entity == null) {
            resultCallback.completed(result());
            return;
        }
        long declared = entity.getContentLength();
        if (declared > cap) {
            throw tooLarge();
        }
        body = new byte[(int) Math.min(cap, declared >= 0 ? declared : FIRST_BUFFER)];
        done = resultCallback;
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // interim 1xx responses are not reported
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws java.io.IOException {
        capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) throws ResponseTooLargeException {
        int count = src.remaining();
        if (length + (long) count > cap) {
            throw tooLarge();
        }
        if (length + count > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(cap, Math.max((long) length + count, 2L * body.length)));
        }
        src.get(body, length, count);
        length += count;
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        if (done != null) {
            FutureCallback<OutboundResponse> callback = done;
            done = null;
            callback.completed(result());
        }
    }

    @Override
    public void failed(Exception cause) {
        releaseResources();
    }

    @Override
    public void releaseResources() {
        body = new byte[0];
        done = null;
    }

    private OutboundResponse result() {
        return OutboundResponse.of(status, headers, length == body.length ? body : Arrays.copyOf(body, length));
    }

    private ResponseTooLargeException tooLarge() {
        return new ResponseTooLargeException(request + ": the response body is longer than " + cap + " bytes", cap);
    }
}
