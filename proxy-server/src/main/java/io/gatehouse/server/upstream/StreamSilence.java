package io.gatehouse.server.upstream;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The silence timeout of one stream on a shared HTTP/2 connection, where the connection's socket
 * timeout cannot serve: it wraps the exchange's handler, notes every event of the stream, and
 * when nothing happened for {@code silence} it fails the exchange with a {@link
 * SocketTimeoutException} (as a silent HTTP/1.1 connection would) and resets the stream. The
 * timer task only checks a time and, when it ran out, signals the exchange (which takes its own
 * lock) and the stream.
 */
final class StreamSilence implements AsyncClientExchangeHandler {

    private final AsyncClientExchangeHandler exchange;
    private final Cancellable stream;
    private final long silenceNanos;
    private final ScheduledExecutorService timer;
    private volatile long lastEvent;
    private volatile boolean ended;
    private volatile ScheduledFuture<?> check;
    private final Runnable onEnd;

    /** @param onEnd told when HttpCore ended the stream (cleanly or not) */
    StreamSilence(AsyncClientExchangeHandler exchange, Cancellable stream, Timeout silence, ScheduledExecutorService timer,
                  Runnable onEnd) {
        this.exchange = exchange;
        this.stream = stream;
        this.onEnd = onEnd;
        this.silenceNanos = silence.isEnabled() ? silence.toNanoseconds() : 0;
        this.timer = timer;
    }

    /** Starts the clock: the stream is queued on its connection. */
    void start() {
        lastEvent = System.nanoTime();
        if (silenceNanos > 0) {
            checkIn(silenceNanos);
        }
    }

    private void checkIn(long nanos) {
        check = timer.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (ended) {
            return;
        }
        long quiet = System.nanoTime() - lastEvent;
        if (quiet < silenceNanos) {
            checkIn(silenceNanos - quiet);
            return;
        }
        ended = true;
        exchange.failed(new SocketTimeoutException("the upstream was silent on its stream for "
                + TimeUnit.NANOSECONDS.toMillis(silenceNanos) + " ms"));
        stream.cancel();
    }

    private void event() {
        lastEvent = System.nanoTime();
    }

    private void end() {
        ended = true;
        ScheduledFuture<?> pending = check;
        if (pending != null) {
            pending.cancel(false);
        }
        onEnd.run();
    }

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        event();
        exchange.produceRequest(channel, context);
    }

    @Override
    public int available() {
        return exchange.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        event();
        exchange.produce(channel);
    }

    @Override
    public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
        event();
        exchange.consumeInformation(response, context);
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context) throws HttpException, IOException {
        event();
        exchange.consumeResponse(response, entity, context);
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        exchange.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        event();
        exchange.consume(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        end();
        exchange.streamEnd(trailers);
    }

    @Override
    public void failed(Exception cause) {
        end();
        exchange.failed(cause);
    }

    @Override
    public void cancel() {
        end();
        exchange.cancel();
    }

    @Override
    public void releaseResources() {
        end();
        exchange.releaseResources();
    }
}
