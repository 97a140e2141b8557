package io.gatehouse.api.testkit;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterHarnessTest {

    /** Adds a configured request header; records lifecycle calls. */
    static final class TagFactory implements ProxyFilterFactory<TagFactory.Config> {

        record Config(String name, String value, String path) {
        }

        final List<String> calls = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        final AtomicReference<FilterContext> context = new AtomicReference<>();

        @Override
        public String type() {
            return "tag";
        }

        @Override
        public Config parseConfig(PluginConfig config) {
            return new Config(config.getString("name"), config.getString("value", "on"), config.path("name"));
        }

        @Override
        public ProxyFilter create(Config config, FilterContext context) {
            this.context.set(context);
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    calls.add("request");
                    exchange.request().headers().add(config.name(), config.value());
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    calls.add("response " + exchange.response().orElseThrow().status());
                    exchange.response().orElseThrow().headers().set("X-Seen", "yes");
                    return FilterResult.proceed();
                }

                @Override
                public void onComplete(Exchange exchange, Outcome outcome) {
                    calls.add("complete " + outcome.kind() + " " + outcome.status());
                    outcomes.add(outcome);
                }

                @Override
                public void close() {
                    calls.add("close");
                }
            };
        }
    }

    /** A factory whose filter answers every request with a fixed response, built from a hook. */
    static final class FixedFactory implements ProxyFilterFactory<Void> {

        private final java.util.function.Function<Exchange, CompletionStage<FilterResult>> hook;

        FixedFactory(java.util.function.Function<Exchange, CompletionStage<FilterResult>> hook) {
            this.hook = hook;
        }

        @Override
        public String type() {
            return "fixed";
        }

        @Override
        public Void parseConfig(PluginConfig config) {
            return null;
        }

        @Override
        public ProxyFilter create(Void config, FilterContext context) {
            return hook::apply;
        }
    }

    @Test
    void runsParsedFilterAgainstExchange() {
        TagFactory factory = new TagFactory();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag", "value", "42"))) {
            TestExchange exchange = TestExchange.get("/");
            FilterResult result = harness.request(exchange);
            assertThat(result.proceeds()).isTrue();
            assertThat(exchange.request().headers().all("x-tag")).containsExactly("42");
            assertThat(factory.calls).containsExactly("request");
        }
    }

    @Test
    void configIsParsedAtFiltersZeroConfig() {
        TagFactory factory = new TagFactory();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"))) {
            assertThat(harness.filter()).isNotNull();
        }
        assertThatThrownBy(() -> FilterHarness.of(factory, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.name: ")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("filters[0].config.name"));
    }

    @Test
    void contextNamesInstanceAfterType() {
        TagFactory factory = new TagFactory();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"))) {
            FilterContext context = factory.context.get();
            assertThat(context.instanceName()).isEqualTo("tag#0");
            assertThat(context.clock()).isNotNull();
            assertThat(context.scheduler().isShutdown()).isFalse();
            assertThat(context.blockingExecutor()).isNotNull();
        }
    }

    @Test
    void closeClosesFilterAndStopsScheduler() {
        TagFactory factory = new TagFactory();
        FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"));
        harness.close();
        assertThat(factory.calls).containsExactly("close");
        assertThat(factory.context.get().scheduler().isShutdown()).isTrue();
    }

    @Test
    void responseHookSeesTheResponseHead() {
        TagFactory factory = new TagFactory();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"))) {
            TestExchange exchange = TestExchange.get("/").respondWith(502, "Server", "origin");
            FilterResult result = harness.response(exchange);
            assertThat(result.proceeds()).isTrue();
            assertThat(exchange.response().orElseThrow().headers().first("X-Seen")).contains("yes");
            assertThat(exchange.response().orElseThrow().headers().first("server")).contains("origin");
            assertThat(factory.calls).containsExactly("response 502");
        }
    }

    @Test
    void responseWithoutRespondWithIsRefused() {
        TagFactory factory = new TagFactory();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"))) {
            assertThatThrownBy(() -> harness.response(TestExchange.get("/")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("respondWith");
            assertThat(factory.calls).isEmpty();
        }
    }

    @Test
    void completeReportsResponseStatusOr200() {
        TagFactory factory = new TagFactory();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"))) {
            harness.complete(TestExchange.get("/").respondWith(404));
            harness.complete(TestExchange.get("/"));
            assertThat(factory.calls).containsExactly("complete COMPLETED 404", "complete COMPLETED 200");
        }
    }

    @Test
    void completeReportsTheExchangesRouteAndClusterAndNoAttempt() {
        TagFactory factory = new TagFactory();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"))) {
            TestExchange routed = TestExchange.get("/");
            routed.setRoute("orders");
            routed.setCluster("api");
            harness.complete(routed);
            harness.complete(TestExchange.get("/"));

            Outcome first = factory.outcomes.get(0);
            assertThat(first.route()).contains("orders");
            assertThat(first.cluster()).contains("api");
            assertThat(first.attempts()).isZero();
            assertThat(first.detail()).isEmpty();
            assertThat(first.durationNanos()).isNotNegative();
            Outcome second = factory.outcomes.get(1);
            assertThat(second.route()).isEmpty();
            assertThat(second.cluster()).isEmpty();
        }
    }

    @Test
    void completeWithAnOutcomeHandsItOverAsIs() {
        TagFactory factory = new TagFactory();
        Outcome outcome = TestOutcome.aborted().detail("downstream_disconnect").build();
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("name", "X-Tag"))) {
            harness.complete(TestExchange.get("/").respondWith(200), outcome);
            assertThat(factory.outcomes).containsExactly(outcome);
            assertThat(factory.calls).containsExactly("complete ABORTED 0");
        }
    }

    @Test
    void shortCircuitIsReturned() {
        FixedFactory factory = new FixedFactory(exchange -> FilterResult.respond(Response.text(403, "denied")));
        try (FilterHarness harness = FilterHarness.of(factory, Map.of())) {
            FilterResult result = harness.request(TestExchange.get("/admin"));
            assertThat(result.proceeds()).isFalse();
            Response response = result.response().orElseThrow();
            assertThat(response.status()).isEqualTo(403);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("denied\n");
        }
    }

    @Test
    void waitsForStageCompletedOnAnotherThread() {
        AtomicReference<String> thread = new AtomicReference<>();
        ProxyFilterFactory<Void> factory = new ProxyFilterFactory<>() {
            @Override
            public String type() {
                return "async";
            }

            @Override
            public Void parseConfig(PluginConfig config) {
                return null;
            }

            @Override
            public ProxyFilter create(Void config, FilterContext context) {
                return exchange -> {
                    CompletableFuture<FilterResult> future = new CompletableFuture<>();
                    context.scheduler().execute(() -> {
                        thread.set(Thread.currentThread().getName());
                        exchange.setRoute("async-route");
                        future.complete(FilterResult.respondResult(Response.status(202).build()));
                    });
                    return future;
                };
            }
        };
        try (FilterHarness harness = FilterHarness.of(factory, Map.of())) {
            TestExchange exchange = TestExchange.get("/");
            FilterResult result = harness.request(exchange);
            assertThat(result.response().orElseThrow().status()).isEqualTo(202);
            assertThat(thread.get()).isEqualTo("filter-harness");
            assertThat(exchange.route()).contains("async-route");
        }
    }

    @Test
    void exceptionallyCompletedStageBecomesIllegalStateException() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        FixedFactory factory = new FixedFactory(exchange -> CompletableFuture.failedFuture(boom));
        try (FilterHarness harness = FilterHarness.of(factory, Map.of())) {
            assertThatThrownBy(() -> harness.request(TestExchange.get("/")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("filter hook failed")
                    .hasMessageContaining("boom")
                    .hasCauseReference(boom);
        }
    }

    @Test
    void exceptionallyCompletedResponseStageBecomesIllegalStateException() {
        ProxyFilterFactory<Void> factory = new ProxyFilterFactory<>() {
            @Override
            public String type() {
                return "failing-response";
            }

            @Override
            public Void parseConfig(PluginConfig config) {
                return null;
            }

            @Override
            public ProxyFilter create(Void config, FilterContext context) {
                return new ProxyFilter() {
                    @Override
                    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                        return FilterResult.proceed();
                    }

                    @Override
                    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                        return CompletableFuture.failedStage(new IllegalStateException("upstream parse"));
                    }
                };
            }
        };
        try (FilterHarness harness = FilterHarness.of(factory, Map.of())) {
            assertThatThrownBy(() -> harness.response(TestExchange.get("/").respondWith(200)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("upstream parse")
                    .cause().hasMessage("upstream parse");
        }
    }

    @Test
    void defaultHooksProceedAndDoNothing() {
        FixedFactory factory = new FixedFactory(exchange -> FilterResult.proceed());
        try (FilterHarness harness = FilterHarness.of(factory, Map.of())) {
            TestExchange exchange = TestExchange.get("/").respondWith(200, "A", "1");
            assertThat(harness.response(exchange).proceeds()).isTrue();
            assertThat(exchange.response().orElseThrow().headers().size()).isEqualTo(1);
            harness.complete(exchange);
        }
    }
}
