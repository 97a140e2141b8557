package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The body-observer contract with asynchronous filters: an observer registered in a hook sees
 * the body from its first byte even when bytes arrived while an earlier hook was pending, and
 * hears exactly one ending, also for bodies that never come (a short-circuit) or are empty.
 */
class BodyObserverContractIntegrationTest {

    private static final int BODY = 200 * 1024; // more than the proxy buffers per direction
    private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        EVENTS.clear();
    }

    private static byte[] body() {
        byte[] bytes = new byte[BODY];
        Arrays.fill(bytes, (byte) 'b');
        return bytes;
    }

    private static TestOrigin echoLength() {
        return TestOrigin.start(request -> Reply.status(200).body(body()).header("X-Received", Long.toString(request.bodyLength())))
                .answer("/empty", Reply.status(204));
    }

    private static EmbeddedGatehouse proxy(String yaml, List<ProxyFilterFactory<?>> factories) {
        return EmbeddedGatehouse.builder().config(yaml).filters(factories).start();
    }

    private static String yaml(TestOrigin origin, String filters) {
        return "server: { upstream: \"" + origin.url() + "\" }\nfilters:\n" + filters;
    }

    private static List<ProxyFilterFactory<?>> factories() {
        return List.of(new Slow(), new Tap(), new Answer());
    }

    @Test
    void aRequestObserverBehindASlowFilterSeesTheWholeBodyFromByteZero() {
        try (TestOrigin origin = echoLength();
             EmbeddedGatehouse proxy = proxy(yaml(origin, "  - { type: slow }\n  - { type: tap }\n"), factories())) {
            HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body())).build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Received")).hasValue(Integer.toString(BODY));
            await().atMost(5, TimeUnit.SECONDS).until(() -> EVENTS.size() >= 2);
            assertThat(EVENTS).containsExactlyInAnyOrder("request:end:" + BODY, "response:end:" + BODY);
        }
    }

    @Test
    void aResponseObserverRegisteredAfterASlowOnResponseSeesTheWholeBody() {
        // onResponse runs in reverse: slow's first (the origin's body arrives meanwhile), then tap's
        try (TestOrigin origin = echoLength(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: tap, config: { on-response: true } }\n  - { type: slow }\n"), factories())) {
            HttpResponse<String> response = proxy.get("/download");

            assertThat(response.body()).hasSize(BODY);
            await().atMost(5, TimeUnit.SECONDS).until(() -> EVENTS.contains("response:end:" + BODY));
            assertThat(EVENTS).containsOnly("response:end:" + BODY);
        }
    }

    @Test
    void everyObserverHearsExactlyOneEndingWhenTheRequestIsAnsweredByAFilter() {
        try (TestOrigin origin = echoLength(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: tap }\n  - { type: answer }\n"), factories())) {
            HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body())).build());

            assertThat(response.statusCode()).isEqualTo(403);
            await().atMost(5, TimeUnit.SECONDS).until(() -> EVENTS.size() >= 2);
            assertThat(EVENTS).hasSize(2).contains("response:end:" + "refused\n".length())
                    .anyMatch(event -> event.startsWith("request:abort:"));
            assertThat(origin.requests()).isEmpty();
        }
    }

    @Test
    void responsesWithoutBodyEndOnceForTheirObservers() throws IOException {
        try (TestOrigin origin = echoLength();
             EmbeddedGatehouse proxy = proxy(yaml(origin, "  - { type: tap, config: { on-response: true } }\n"), factories())) {
            assertThat(proxy.get("/empty").statusCode()).isEqualTo(204);
            await().atMost(5, TimeUnit.SECONDS).until(() -> !EVENTS.isEmpty());
            assertThat(EVENTS).containsExactly("response:end:0");

            EVENTS.clear();
            HttpResponse<String> head = proxy.send(HttpRequest.newBuilder(proxy.uri("/download"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).isEqualTo(200);
            await().atMost(5, TimeUnit.SECONDS).until(() -> !EVENTS.isEmpty());
            assertThat(EVENTS).containsExactly("response:end:0");
        }
    }

    /** {@code slow}: onRequest and onResponse complete 150 ms later on another thread (a slow remote check). */
    static final class Slow extends TestFilters.Unconfigured {
        Slow() {
            super("slow");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    return later();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    return later();
                }

                private CompletionStage<FilterResult> later() {
                    return CompletableFuture.supplyAsync(FilterResult::proceedResult,
                            CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS));
                }
            };
        }
    }

    /** {@code tap}: counts the bytes its observers see (registered in onRequest, or the response one in onResponse). */
    static final class Tap implements ProxyFilterFactory<Boolean> {
        @Override
        public String type() {
            return "tap";
        }

        @Override
        public Boolean parseConfig(PluginConfig config) {
            return config.getBoolean("on-response", false);
        }

        @Override
        public ProxyFilter create(Boolean onResponse, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    if (!onResponse) {
                        exchange.observeRequestBody(new Counting("request"));
                        exchange.observeResponseBody(new Counting("response"));
                    }
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    if (onResponse) {
                        exchange.observeResponseBody(new Counting("response"));
                    }
                    return FilterResult.proceed();
                }
            };
        }
    }

    /** Journals its byte count at its ending. */
    static final class Counting implements BodyObserver {
        private final String side;
        private long seen;

        Counting(String side) {
            this.side = side;
        }

        @Override
        public void onData(ByteBuffer data) {
            seen += data.remaining();
        }

        @Override
        public void onEnd(HttpFields trailers) {
            EVENTS.add(side + ":end:" + seen);
        }

        @Override
        public void onAbort(Throwable cause) {
            EVENTS.add(side + ":abort:" + seen);
        }
    }

    /** {@code answer}: refuses every request with 403. */
    static final class Answer extends TestFilters.Unconfigured {
        Answer() {
            super("answer");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            Response refused = Response.text(403, "refused");
            return exchange -> FilterResult.respond(refused);
        }
    }
}
