package io.gatehouse.server.exchange;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's threading rule, from outside: whatever thread completes a filter's stage, fires a
 * filter deadline or a retry back-off, the rest of the exchange runs on the client connection's
 * I/O thread.
 */
class EngineThreadingIntegrationTest {

    /** Hook or step → the name of the thread it ran on. */
    private static final Map<String, String> THREADS = new ConcurrentHashMap<>();
    private static final ExecutorService FOREIGN = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "foreign-completer");
        thread.setDaemon(true);
        return thread;
    });

    @BeforeEach
    void clear() {
        THREADS.clear();
    }

    @AfterAll
    static void stopForeignThread() {
        FOREIGN.shutdownNow();
    }

    private static TestOrigin origin() {
        return TestOrigin.start(Reply.ok("origin"));
    }

    private static EmbeddedGatehouse proxy(String yaml, List<ProxyFilterFactory<?>> factories) {
        return EmbeddedGatehouse.builder().config(yaml).filters(factories).start();
    }

    private static String yaml(TestOrigin origin, String filters) {
        return "server: { upstream: \"" + origin.url() + "\", timeouts: { filter: 300ms } }\nfilters:\n" + filters;
    }

    private static List<ProxyFilterFactory<?>> factories() {
        return List.of(new Foreign(), new Record(), new TestFilters.Hang(), new RetryingSelector());
    }

    @Test
    void anAsyncOnRequestCompletedOnAForeignThreadContinuesOnTheExchangesIoThread() {
        try (TestOrigin origin = origin();
             EmbeddedGatehouse proxy = proxy(yaml(origin, "  - { type: foreign }\n  - { type: record }\n"), factories())) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);

            assertThat(THREADS.get("foreign:completed")).isEqualTo("foreign-completer-thread");
            assertThat(THREADS.get("foreign:request")).startsWith("gatehouse-io-");
            assertThat(THREADS.get("record:request")).as("the next filter after the async one")
                    .isEqualTo(THREADS.get("foreign:request"));
        }
    }

    @Test
    void anAsyncOnResponseCompletedOnAForeignThreadContinuesOnTheExchangesIoThread() {
        // onResponse runs in reverse order: foreign's (async) first, then record's
        try (TestOrigin origin = origin();
             EmbeddedGatehouse proxy = proxy(yaml(origin, "  - { type: record }\n  - { type: foreign }\n"), factories())) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);

            assertThat(THREADS.get("record:request")).startsWith("gatehouse-io-");
            assertThat(THREADS.get("record:response")).isEqualTo(THREADS.get("record:request"));
        }
    }

    @Test
    void aFilterDeadlineAnswers504FromTheIoThreadNotTheTimer() {
        try (TestOrigin origin = origin();
             EmbeddedGatehouse proxy = proxy(yaml(origin, "  - { type: record }\n  - { type: hang }\n"), factories())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(THREADS.get("record:response")).as("the 504 went through the earlier filter's onResponse")
                    .isEqualTo(THREADS.get("record:request")).startsWith("gatehouse-io-");
        }
    }

    @Test
    void aRetryAfterABackOffStartsOnTheIoThread() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: retrying-selector, config: { first: " + closedPort + ", second: " + origin.port() + " } }\n"),
                factories())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("origin");
            assertThat(THREADS.get("select:1")).startsWith("gatehouse-io-");
            assertThat(THREADS.get("select:2")).as("after a 20 ms back-off on the timer").isEqualTo(THREADS.get("select:1"));
        }
    }

    /** {@code foreign}: completes onRequest and onResponse on another thread. */
    static final class Foreign extends TestFilters.Unconfigured {
        Foreign() {
            super("foreign");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    THREADS.put("foreign:request", Thread.currentThread().getName());
                    return CompletableFuture.supplyAsync(() -> {
                        THREADS.put("foreign:completed", Thread.currentThread().getName() + "-thread");
                        return FilterResult.proceedResult();
                    }, FOREIGN);
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    return CompletableFuture.supplyAsync(FilterResult::proceedResult, FOREIGN);
                }
            };
        }
    }

    /** {@code record}: notes the threads of its hooks. */
    static final class Record extends TestFilters.Unconfigured {
        Record() {
            super("record");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    THREADS.put("record:request", Thread.currentThread().getName());
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    THREADS.put("record:response", Thread.currentThread().getName());
                    return FilterResult.proceed();
                }
            };
        }
    }

    /** {@code retrying-selector}: attempt 1 to a closed port, a retry after 20 ms to the origin. */
    static final class RetryingSelector implements ProxyFilterFactory<int[]> {
        @Override
        public String type() {
            return "retrying-selector";
        }

        @Override
        public int[] parseConfig(PluginConfig config) {
            return new int[] {config.getInt("first", 0), config.getInt("second", 0)};
        }

        @Override
        public ProxyFilter create(int[] ports, FilterContext context) {
            return exchange -> {
                exchange.setUpstreamSelector(new UpstreamSelector() {
                    @Override
                    public Optional<Upstream> select(Exchange current, int attempt) {
                        THREADS.put("select:" + attempt, Thread.currentThread().getName());
                        return Optional.of(new Upstream("http", "127.0.0.1", ports[attempt == 1 ? 0 : 1]));
                    }

                    @Override
                    public Optional<Duration> retry(Exchange current, int attempt, AttemptResult result) {
                        return attempt == 1 ? Optional.of(Duration.ofMillis(20)) : Optional.empty();
                    }
                });
                return FilterResult.proceed();
            };
        }
    }
}
