package io.gatehouse.server.listener;

import org.apache.hc.core5.function.Callback;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.BasicHttpTransportMetrics;
import org.apache.hc.core5.http.impl.nio.ServerHttp1StreamDuplexer;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.ContentDecoder;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.NHttpMessageParser;
import org.apache.hc.core5.http.nio.NHttpMessageWriter;
import org.apache.hc.core5.http.nio.SessionInputBuffer;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ProtocolIOSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a malformed chunked request body into a 400 answer. Its lines are read strictly ({@link
 * StrictChunkLines}). HttpCore resets the connection when a chunk-size line is bad, before any
 * handler could answer; here the chunk decoder of each chunked request is wrapped: on a
 * malformed chunk it tells the exchange (which answers 400 with {@code Connection: close} and
 * never completes the proxy→origin request), then swallows what the client still sends until
 * the connection closes.
 *
 * <p>The duplexer creates the decoder and, on the same thread right after, the exchange handler:
 * the handler picks its guard up through a thread-local ({@link #takeForNewExchange()}).
 */
final class MalformedBodyGuard {

    private static final ThreadLocal<MalformedBodyGuard> BEING_CREATED = new ThreadLocal<>();

    private Consumer<IOException> listener;
    private IOException pending;

    /**
     * @return the guard of the chunked request whose handler is being created, or null
     */
    static MalformedBodyGuard takeForNewExchange() {
        MalformedBodyGuard guard = BEING_CREATED.get();
        BEING_CREATED.remove();
        return guard;
    }

    /**
     * @param onMalformed called once, on the I/O thread, when the body turns out malformed
     */
    synchronized void onMalformed(Consumer<IOException> onMalformed) {
        this.listener = onMalformed;
        if (pending != null) {
            onMalformed.accept(pending);
        }
    }

    private void malformed(IOException cause) {
        Consumer<IOException> target;
        synchronized (this) {
            pending = cause;
            target = listener;
        }
        if (target != null) {
            target.accept(cause);
        }
    }

    /**
     * The server-side duplexer with guarded chunk decoders, reading heads through a {@link
     * HalfClosedInput} (bodies straight from the session).
     */
    static final class Duplexer extends ServerHttp1StreamDuplexer {

        private final ProtocolIOSession rawSession;
        private final int maxLine;

        Duplexer(ProtocolIOSession session, HttpProcessor processor, HandlerFactory<AsyncServerExchangeHandler> handlers,
                 Http1Config http1, ConnectionReuseStrategy reuse, NHttpMessageParser<HttpRequest> parser,
                 NHttpMessageWriter<HttpResponse> writer, ContentLengthStrategy lengths, Callback<Exception> exceptionCallback) {
            this(new HalfClosedInput(session), processor, handlers, http1, reuse, parser, writer, lengths, exceptionCallback);
        }

        private Duplexer(HalfClosedInput input, HttpProcessor processor, HandlerFactory<AsyncServerExchangeHandler> handlers,
                         Http1Config http1, ConnectionReuseStrategy reuse, NHttpMessageParser<HttpRequest> parser,
                         NHttpMessageWriter<HttpResponse> writer, ContentLengthStrategy lengths, Callback<Exception> exceptionCallback) {
            super(input, processor, handlers, "http", http1, CharCodingConfig.DEFAULT, reuse, parser, writer, lengths,
                    lengths, input, exceptionCallback);
            this.rawSession = input.raw();
            this.maxLine = http1.getMaxLineLength() > 0 ? http1.getMaxLineLength() : 8192;
        }

        /**
         * An immediate close (an exchange aborted, or done lingering over an unread body) closes
         * the session at once when HttpCore is already shutting down gracefully: HttpCore then
         * takes no more commands, and the close would wait for the idle timeout.
         */
        @Override
        public void close(CloseMode closeMode) {
            if (closeMode == CloseMode.IMMEDIATE && !isOpen()) {
                rawSession.close(CloseMode.IMMEDIATE);
                return;
            }
            super.close(closeMode);
        }

        @Override
        protected ContentDecoder createContentDecoder(long length, ReadableByteChannel channel, SessionInputBuffer buffer,
                                                      BasicHttpTransportMetrics metrics) throws HttpException {
            // a body is read from the session itself: a client that stops inside one ends its exchange at once
            if (length != ContentLengthStrategy.CHUNKED) {
                BEING_CREATED.remove();
                return super.createContentDecoder(length, rawSession, buffer, metrics);
            }
            ContentDecoder decoder = super.createContentDecoder(length, rawSession, new StrictChunkLines(buffer, maxLine), metrics);
            MalformedBodyGuard guard = new MalformedBodyGuard();
            BEING_CREATED.set(guard);
            return new GuardedDecoder(decoder, buffer, guard);
        }
    }

    /** Delegates to HttpCore's chunk decoder until it fails, then discards all further input. */
    private static final class GuardedDecoder implements ContentDecoder {
        private final ContentDecoder delegate;
        private final SessionInputBuffer buffer;
        private final MalformedBodyGuard guard;
        private ByteBuffer scratch;
        private boolean failed;

        GuardedDecoder(ContentDecoder delegate, SessionInputBuffer buffer, MalformedBodyGuard guard) {
            this.delegate = delegate;
            this.buffer = buffer;
            this.guard = guard;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!failed) {
                try {
                    return delegate.read(dst);
                } catch (TruncatedChunkException e) {
                    throw e; // the client went away mid-body: an abort, not a bad request
                } catch (MalformedChunkCodingException e) {
                    failed = true;
                    guard.malformed(e);
                }
            }
            discardInput();
            return 0;
        }

        /**
         * Drops what HttpCore has buffered; HttpCore itself keeps reading the socket (and sees
         * its end), so this never spins.
         */
        private void discardInput() {
            if (scratch == null) {
                scratch = ByteBuffer.allocate(4096);
            }
            while (buffer.hasData()) {
                scratch.clear();
                buffer.read(scratch);
            }
        }

        @Override
        public boolean isCompleted() {
            return !failed && delegate.isCompleted();
        }

        @Override
        public List<? extends Header> getTrailers() {
            return delegate.getTrailers();
        }
    }
}
