package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Body transformers through a real server: the response and request bodies change as they
 * stream, the framing and validators follow, partial and bodiless responses are left alone, a
 * failing transformer fails the exchange cleanly, and a large body streams with back-pressure.
 */
class BodyTransformIntegrationTest {

    private TestOrigin origin;
    private EmbeddedGatehouse proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    /** Upper-cases ASCII letters, chunk by chunk: the same length, a different body. */
    static final class Upper implements BodyTransformer {
        @Override
        public void onData(ByteBuffer data, Output out) {
            ByteBuffer changed = ByteBuffer.allocate(data.remaining());
            while (data.hasRemaining()) {
                byte b = data.get();
                changed.put(b >= 'a' && b <= 'z' ? (byte) (b - 32) : b);
            }
            out.write(changed.flip());
        }

        @Override
        public void onEnd(Output out) {
            out.write(ByteBuffer.wrap("!".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /**
     * {@code transform} with config {@code response}, {@code request}, {@code response-in-request},
     * {@code whole-capped} or {@code failing}; {@code response-local} also answers itself.
     */
    static final class Transform implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "transform";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return config.getString("mode");
        }

        @Override
        public ProxyFilter create(String mode, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    switch (mode) {
                        case "request" -> exchange.transformRequestBody(new Upper());
                        case "response-in-request" -> exchange.transformResponseBody(new Upper());
                        case "whole-capped" -> {
                            exchange.transformResponseBody(BodyTransformer.wholeBody(10, bytes -> bytes));
                            return FilterResult.respond(Response.text(200, exchange.request().target().equals("/short") ? "short" : "far too long"));
                        }
                        case "response-local" -> {
                            exchange.transformResponseBody(new Upper());
                            return FilterResult.respond(Response.text(200, "made here"));
                        }
                        case "failing-local" -> {
                            exchange.transformResponseBody(failing());
                            return FilterResult.respond(Response.text(200, "made here"));
                        }
                        default -> { }
                    }
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    if (mode.equals("response")) {
                        exchange.transformResponseBody(new Upper());
                    } else if (mode.equals("failing")) {
                        exchange.transformResponseBody(failing());
                    }
                    return FilterResult.proceed();
                }
            };
        }
    }

    private static BodyTransformer failing() {
        return new BodyTransformer() {
            @Override
            public void onData(ByteBuffer data, Output out) {
                throw new IllegalStateException("cannot transform this");
            }

            @Override
            public void onEnd(Output out) {
            }
        };
    }

    private void start(String mode) {
        origin = TestOrigin.start(request -> request.target().equals("/partial")
                        ? Reply.status(206).header("Content-Range", "bytes 0-4/10").body("hello")
                        : Reply.ok("hello, " + request.bodyText()).header("ETag", "\"v1\"").header("Content-MD5", "xyz"));
        proxy = EmbeddedGatehouse.builder()
                .config("server: { upstream: \"" + origin.url() + "\" }\nfilters:\n  - { type: transform, config: { mode: " + mode + " } }\n")
                .filters(List.of(new Transform())).start();
    }

    @Test
    void aResponseBodyChangesAndItsFramingAndValidatorsFollow() {
        start("response");

        HttpResponse<String> response = proxy.get("/a");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("HELLO, !");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"v1\"");
        assertThat(response.headers().firstValue("Content-MD5")).isEmpty();
    }

    @Test
    void installedInOnRequestItChangesTheResponseToo() {
        start("response-in-request");
        assertThat(proxy.get("/a").body()).isEqualTo("HELLO, !");
    }

    @Test
    void aPartialResponseAndAnAnswerToHeadAreLeftAlone() {
        start("response");

        HttpResponse<String> partial = proxy.get("/partial");
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.body()).isEqualTo("hello");
        assertThat(partial.headers().firstValue("Content-Length")).hasValue("5");

        HttpResponse<String> head = proxy.send(HttpRequest.newBuilder(proxy.uri("/a")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).as("a GET's body would have another length").isEmpty();
        assertThat(head.headers().firstValue("ETag")).hasValue("W/\"v1\"");
    }

    @Test
    void theProxysOwnAnswerIsTransformedToo() {
        start("response-local");
        HttpResponse<String> response = proxy.get("/a");
        assertThat(response.body()).isEqualTo("MADE HERE\n!");
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void aRequestBodyReachesTheOriginChangedAndChunked() {
        start("request");

        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/up"))
                .POST(HttpRequest.BodyPublishers.ofString("some body")).header("Content-MD5", "abc").build());

        assertThat(response.statusCode()).isEqualTo(200);
        ReceivedRequest received = origin.lastRequest();
        assertThat(received.bodyText()).isEqualTo("SOME BODY!");
        assertThat(received.header("Content-Length")).isEmpty();
        assertThat(received.header("Transfer-Encoding")).hasValue("chunked");
        assertThat(received.header("Content-MD5")).isEmpty();
        assertThat(response.body()).isEqualTo("hello, SOME BODY!");
    }

    @Test
    void aFailingTransformerIsA500BeforeTheHeadAndABodyOverAWholeBodyCapToo() {
        start("failing-local");
        HttpResponse<String> failed = proxy.get("/a");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).doesNotContain("cannot transform this").doesNotContain("Exception");
        stop();

        start("whole-capped");
        assertThat(proxy.get("/short").body()).isEqualTo("short\n");
        assertThat(proxy.get("/long").statusCode()).isEqualTo(500);
    }

    @Test
    void aTransformerFailingOnTheOriginsBodyFailsTheExchangeNeverASuccess() {
        start("failing");
        HttpResponse<String> failed;
        try {
            failed = proxy.get("/a");
        } catch (java.io.UncheckedIOException aborted) {
            return; // the head had gone out: the response was aborted, as it must be
        }
        assertThat(failed.statusCode()).as("the body came with the head: 500 before it went out").isEqualTo(500);
    }

    @Test
    void aLargeBodyStreamsThroughATransformerWithBackPressure() throws Exception {
        long length = 64L * 1024 * 1024;
        AtomicLong served = new AtomicLong();
        origin = TestOrigin.start(request -> Reply.status(200).body(length, () -> new InputStream() {
            @Override
            public int read() {
                return served.get() < length && served.incrementAndGet() > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                long left = length - served.get();
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(count, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'a');
                served.addAndGet(n);
                return n;
            }
        }));
        proxy = EmbeddedGatehouse.builder()
                .config("server: { upstream: \"" + origin.url() + "\" }\nfilters:\n  - { type: transform, config: { mode: response } }\n")
                .filters(List.of(new Transform())).start();

        HttpResponse<InputStream> response = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/big")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        try (InputStream body = response.body()) {
            count += body.readNBytes(buffer, 0, buffer.length);
            // the client reads no more for a while: the origin must be held back (socket and proxy buffers only)
            org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(1500)).atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> served.get() < 24L * 1024 * 1024);
            for (int n; (n = body.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != 'A' && !(count + i == length && buffer[i] == '!')) {
                        throw new AssertionError("byte " + (count + i) + " is " + buffer[i]);
                    }
                }
                count += n;
            }
        }
        assertThat(count).isEqualTo(length + 1);
    }

    /** Observers see the body as it leaves the proxy. */
    static final class Seen implements BodyObserver {
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void onData(ByteBuffer data) {
            bytes.addAndGet(data.remaining());
        }

        @Override
        public void onEnd(HttpFields trailers) {
        }
    }
}
