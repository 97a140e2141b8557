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

    /** Answers 504 when its timeout passes first; records the body its observers saw; reads its clock. */
    static final class TimedFactory implements ProxyFilterFactory<Long> {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String type() {
            return "timed";
        }

        @Override
        public Long parseConfig(PluginConfig config) {
            return config.getDuration("timeout", java.time.Duration.ofSeconds(5)).toMillis();
        }

        @Override
        public ProxyFilter create(Long timeoutMillis, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    seen.add("request at " + context.clock().instant());
                    exchange.observeRequestBody(recorder("request"));
                    exchange.observeResponseBody(recorder("response"));
                    CompletableFuture<FilterResult> result = new CompletableFuture<>();
                    context.scheduler().schedule(() -> result.complete(FilterResult.respondResult(Response.text(504, "late"))),
                            timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                    return result;
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    exchange.observeRequestBody(recorder("too late"));
                    return FilterResult.proceed();
                }
            };
        }

        private io.gatehouse.api.BodyObserver recorder(String side) {
            return new io.gatehouse.api.BodyObserver() {
                @Override
                public void onData(java.nio.ByteBuffer data) {
                    seen.add(side + " data " + StandardCharsets.UTF_8.decode(data));
                }

                @Override
                public void onEnd(io.gatehouse.api.HttpFields trailers) {
                    seen.add(side + " end " + trailers);
                }

                @Override
                public void onAbort(Throwable cause) {
                    seen.add(side + " abort " + cause.getMessage());
                }
            };
        }
    }

    @Test
    void withAManualSchedulerTimersFireWhenTheTestAdvancesTime() {
        ManualScheduler time = ManualScheduler.startingAt(java.time.Instant.parse("2030-01-01T00:00:00Z"));
        TimedFactory factory = new TimedFactory();
        try (FilterHarness harness = FilterHarness.builder(factory).config(Map.of("timeout", "30s")).scheduler(time).build()) {
            CompletableFuture<FilterResult> pending = harness.requestAsync(TestExchange.get("/"));

            time.advance(java.time.Duration.ofSeconds(29));
            assertThat(pending).isNotDone();
            time.advance(java.time.Duration.ofSeconds(1));

            assertThat(pending).isCompletedWithValueMatching(result -> result.response().orElseThrow().status() == 504);
            assertThat(factory.seen).containsExactly("request at 2030-01-01T00:00:00Z");
            assertThat(harness.context().clock().instant()).isEqualTo("2030-01-01T00:00:30Z");
            assertThat(harness.context().scheduler()).isSameAs(time);
        }
        assertThat(time.isShutdown()).as("the test's scheduler is not the harness's to stop").isFalse();
    }

    @Test
    void aGivenClockWinsOverTheSchedulersAndTheInstanceNameCanBeSet() {
        java.time.Clock fixed = java.time.Clock.fixed(java.time.Instant.parse("2031-05-05T05:05:05Z"), java.time.ZoneOffset.UTC);
        TimedFactory factory = new TimedFactory();
        try (FilterHarness harness = FilterHarness.builder(factory).clock(fixed).scheduler(ManualScheduler.create())
                .instanceName("edge-timeout").build()) {
            harness.requestAsync(TestExchange.get("/"));

            assertThat(factory.seen).containsExactly("request at 2031-05-05T05:05:05Z");
            assertThat(harness.context().instanceName()).isEqualTo("edge-timeout");
        }
    }

    @Test
    void requestRunsTheTasksDueNowOnAManualScheduler() {
        ManualScheduler time = ManualScheduler.create();
        TimedFactory factory = new TimedFactory();
        try (FilterHarness harness = FilterHarness.builder(factory).config(Map.of("timeout", "0s")).scheduler(time).build()) {
            assertThat(harness.request(TestExchange.get("/")).response().orElseThrow().status()).isEqualTo(504);
            assertThat(harness.context().blockingExecutor()).isSameAs(time);
        }
    }

    @Test
    void bodiesFedThroughTheHarnessReachTheFiltersObserversWithTrailersAndAborts() {
        TimedFactory factory = new TimedFactory();
        try (FilterHarness harness = FilterHarness.builder(factory).config(Map.of("timeout", "0s")).scheduler(ManualScheduler.create()).build()) {
            TestExchange exchange = TestExchange.request("POST", "/upload").bodyLength(-1);
            harness.request(exchange);

            harness.requestBody(exchange).data("part one").abort(new java.io.IOException("client went away"));
            harness.responseBody(exchange).data("answer").end(io.gatehouse.api.HttpFields.of("X-Checksum", "abc"));

            assertThat(factory.seen).containsSubsequence("request data part one", "request abort client went away",
                    "response data answer", "response end [X-Checksum: abc]");
        }
    }

    @Test
    void aRequestObserverRegisteredInOnResponseIsRefusedAsOnTheServer() {
        TimedFactory factory = new TimedFactory();
        try (FilterHarness harness = FilterHarness.builder(factory).config(Map.of("timeout", "0s")).scheduler(ManualScheduler.create()).build()) {
            TestExchange exchange = TestExchange.get("/");
            harness.request(exchange);
            exchange.respondWith(200);

            assertThatThrownBy(() -> harness.response(exchange)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("request body observers must be registered in onRequest");
        }
    }
}
