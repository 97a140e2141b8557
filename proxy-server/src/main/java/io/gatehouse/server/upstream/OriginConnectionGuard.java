package io.gatehouse.server.upstream;

import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.nio.DefaultHttpRequestWriter;
import org.apache.hc.core5.http.impl.nio.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.nio.DefaultHttpResponseFactory;
import org.apache.hc.core5.http.message.LazyLaxLineParser;
import org.apache.hc.core5.http.nio.NHttpMessageParser;
import org.apache.hc.core5.http.nio.NHttpMessageParserFactory;
import org.apache.hc.core5.http.nio.NHttpMessageWriter;
import org.apache.hc.core5.http.nio.NHttpMessageWriterFactory;
import org.apache.hc.core5.http.nio.SessionInputBuffer;
import org.apache.hc.core5.http.nio.SessionOutputBuffer;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps an origin connection with unread bytes out of the pool. HttpCore would keep bytes the
 * origin sent beyond a response's end in the buffer and parse them as the answer to the next
 * request on that connection. Here the connection's request writer and response parser share a
 * count of requests awaiting an answer; bytes arriving while none is awaited make the parser
 * fail, and HttpCore closes the connection (so the pool discards it).
 *
 * <p>HttpCore creates the parser and then the writer of one connection on the same thread, in
 * one expression; the guard passes from the first to the second through a thread-local.
 */
public final class OriginConnectionGuard {

    private static final ThreadLocal<OriginConnectionGuard> BEING_CREATED = new ThreadLocal<>();

    private final AtomicInteger awaited = new AtomicInteger();

    private OriginConnectionGuard() {
    }

    public static NHttpMessageParserFactory<HttpResponse> parsers(Http1Config http1) {
        return () -> {
            OriginConnectionGuard guard = new OriginConnectionGuard();
            BEING_CREATED.set(guard);
            return guard.new GuardedParser(new DefaultHttpResponseParser<>(http1, LazyLaxLineParser.INSTANCE,
                    DefaultHttpResponseFactory.INSTANCE));
        };
    }

    public static NHttpMessageWriterFactory<HttpRequest> writers(Http1Config http1) {
        return () -> {
            OriginConnectionGuard guard = BEING_CREATED.get();
            BEING_CREATED.remove();
            if (guard == null) {
                throw new IllegalStateException("HttpCore created an origin connection's writer before its parser");
            }
            return guard.new CountingWriter(new DefaultHttpRequestWriter<>(http1, null));
        };
    }

    private final class GuardedParser implements NHttpMessageParser<HttpResponse> {
        private final NHttpMessageParser<HttpResponse> delegate;

        GuardedParser(NHttpMessageParser<HttpResponse> delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpResponse parse(SessionInputBuffer buffer, boolean endOfStream) throws IOException, HttpException {
            if (awaited.get() <= 0 && buffer.hasData()) {
                throw new ProtocolException("the origin sent bytes that answer no request");
            }
            HttpResponse response = delegate.parse(buffer, endOfStream);
            if (response != null && response.getCode() >= 200) {
                awaited.decrementAndGet();
            }
            return response;
        }

        @Override
        public void reset() {
            delegate.reset();
        }
    }

    private final class CountingWriter implements NHttpMessageWriter<HttpRequest> {
        private final NHttpMessageWriter<HttpRequest> delegate;

        CountingWriter(NHttpMessageWriter<HttpRequest> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(HttpRequest request, SessionOutputBuffer buffer) throws IOException, HttpException {
            awaited.incrementAndGet();
            delegate.write(request, buffer);
        }

        @Override
        public void reset() {
            delegate.reset();
        }
    }
}
