package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyObserver;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One direction of a body, from the side that sends it to the side that receives it: client to
 * origin for the request, origin to client for the response. Holds the bounded buffer between
 * them and its credit (the sender is granted credit only for free space, so a slow receiver slows
 * the sender down), the receiver's channel once known, the end and trailers, the byte count, the
 * discard mode, and the body's observers. Mechanics only: when to grant and when to write is
 * decided by {@link ExchangeFlow}. Guarded by the exchange's lock.
 */
final class BodyRelay {

    private final BodyBuffer buffer;
    private final BodyObservers observers = new BodyObservers();
    private CapacityChannel sender;
    private DataStreamChannel receiver;
    private boolean ended;
    private boolean endSent;
    private boolean discarding;
    private List<? extends Header> trailers;
    private long bytes;

    /**
     * @param highWater bytes buffered before the sender is paused
     * @param initialCredit the credit the sender starts with (HttpCore's initial window)
     */
    BodyRelay(int highWater, int initialCredit) {
        this.buffer = new BodyBuffer(highWater, initialCredit);
    }

    // ------------------------------------------------------------ the sending side

    /**
     * The sender ran out of credit and offers its capacity channel.
     *
     * @param channel the sender's capacity channel
     * @param grant whether to grant credit for the free space now
     */
    void senderCapacity(CapacityChannel channel, boolean grant) throws IOException {
        sender = channel;
        buffer.creditExhausted();
        if (discarding) {
            channel.update(Integer.MAX_VALUE);
        } else if (grant) {
            buffer.grant(channel);
        }
    }

    /** The sender is gone (a failed attempt): the next one offers its own channel. */
    void senderGone() {
        sender = null;
    }

    /** Grants the sender credit for the free space, if its channel is known. */
    void grant() throws IOException {
        if (!discarding) {
            buffer.grant(sender);
        }
    }

    /**
     * Counts body bytes from the sender.
     *
     * @param n the byte count
     * @return the bytes received in all
     */
    long count(int n) {
        bytes += n;
        return bytes;
    }

    /** @param src bytes to show the observers (not consumed), once delivery has started */
    void observe(ByteBuffer src) {
        observers.data(src);
    }

    /** @param length the body's declared length, or -1: sizes the buffer when one is needed */
    void expect(long length) {
        buffer.expect(length);
    }

    /** @param src bytes to keep until the receiver takes them; all are taken */
    void buffer(ByteBuffer src) {
        buffer.append(src);
    }

    /** @param body a whole body the proxy made, sent from its own bytes without a copy */
    void lend(ByteBuffer body) {
        buffer.lend(body);
    }

    /**
     * The sender's stream ended; observers hear it at once.
     *
     * @param endTrailers trailers, null or empty when none
     */
    void receivedEnd(List<? extends Header> endTrailers) {
        ended = true;
        trailers = endTrailers;
        observers.end(endTrailers);
    }

    /**
     * Takes out the bytes held so far (they arrived while the chain ran) and reopens an ended
     * body, so that they can go through transformers before observers and the receiver see them.
     *
     * @return a copy of the bytes held
     */
    ByteBuffer takeHeldForTransform() {
        ByteBuffer held = ByteBuffer.allocate(buffer.length());
        held.put(buffer.view()).flip();
        buffer.clear();
        ended = false;
        return held;
    }

    /** @return the trailers of an ended body, null when none */
    List<? extends Header> trailers() {
        return trailers;
    }

    /** Marks the body as ended without telling observers (a body that is not forwarded). */
    void markEnded() {
        ended = true;
    }

    /** Forgets the body so far (the origin's), for a body the proxy sends instead; observers are kept. */
    void reset() {
        buffer.clear();
        bytes = 0;
        ended = false;
        endSent = false;
        trailers = null;
    }

    /**
     * Drops buffered bytes and what the sender still sends: the rest of this body is not
     * forwarded. The sender is given unlimited credit so it can finish.
     */
    void discard() throws IOException {
        discarding = true;
        buffer.clear();
        if (observers.started()) {
            observers.abort(List.of(), new IOException("the body is not forwarded"));
        }
        if (!ended && sender != null) {
            sender.update(Integer.MAX_VALUE);
        }
    }

    // ------------------------------------------------------------ observers

    /**
     * Starts observer delivery: every byte buffered so far first, then live bytes, then the end
     * if it already came.
     *
     * @param registered the observers
     */
    void startObservers(List<BodyObserver> registered) {
        if (observers.started()) {
            return;
        }
        // a view, not a copy: this runs for every exchange, with or without observers
        observers.start(registered, buffer.view());
        if (ended && !discarding) {
            observers.end(trailers);
        }
    }

    /**
     * @param registered the observers, used when delivery never started
     * @param cause why the body will not complete
     */
    void abortObservers(List<BodyObserver> registered, Throwable cause) {
        observers.abort(registered, cause);
    }

    // ------------------------------------------------------------ the receiving side

    /** @param channel the receiver's channel, known from its first produce() */
    void receiver(DataStreamChannel channel) {
        receiver = channel;
    }

    /** @return the receiver's channel, or null before its first produce() */
    DataStreamChannel receiver() {
        return receiver;
    }

    /**
     * Writes {@code src} straight into the receiver's channel while nothing is buffered, so a
     * streamed body needs no buffer; what the channel does not take stays in {@code src}.
     */
    void writeThrough(ByteBuffer src) throws IOException {
        if (receiver == null || endSent || buffer.length() > 0) {
            return;
        }
        int n = src.remaining();
        receiver.write(src);
        buffer.consumedWithoutBuffering(n - src.remaining());
    }

    /**
     * Writes buffered bytes into {@code channel} and, once all are out and the body ended, the
     * end of the stream with the trailers.
     *
     * @return whether the end went out in this call
     */
    boolean flush(DataStreamChannel channel) throws IOException {
        buffer.writeTo(channel);
        if (buffer.length() == 0 && ended && !endSent) {
            endSent = true;
            channel.endStream(trailers);
            return true;
        }
        return false;
    }

    /** @return what {@code available()} reports to HttpCore: buffered bytes, or 1 for a pending end */
    int available() {
        int buffered = buffer.length();
        if (buffered > 0) {
            return buffered;
        }
        return ended && !endSent ? 1 : 0;
    }

    /** Puts the kept bytes of a body back for another attempt; its credit was counted when they arrived. */
    void refill(byte[] data, int length) {
        buffer.refill(data, length);
        endSent = false;
    }

    /** Drops what is buffered (a replaced response). */
    void clear() {
        buffer.clear();
    }

    /** Marks the end as sent (a response without body). */
    void markEndSent() {
        endSent = true;
    }

    /** @return a read-only view of the buffered bytes, valid until the buffer changes */
    ByteBuffer view() {
        return buffer.view();
    }

    int buffered() {
        return buffer.length();
    }

    boolean ended() {
        return ended;
    }

    boolean endSent() {
        return endSent;
    }

    boolean discarding() {
        return discarding;
    }

    long bytes() {
        return bytes;
    }
}
