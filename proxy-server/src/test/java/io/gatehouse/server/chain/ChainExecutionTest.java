package io.gatehouse.server.chain;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ChainExecutionTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> calls = new ArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private ProxyFilter recording(String name, Optional<Response> answer) {
        return new ProxyFilter() {
            @Override
            public java.util.concurrent.CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange exchange) {
                calls.add(name + ".request");
                return answer.map(FilterResult::respond).orElse(FilterResult.proceed());
            }

            @Override
            public java.util.concurrent.CompletionStage<FilterResult> onResponse(io.gatehouse.api.Exchange exchange) {
                calls.add(name + ".response");
                return FilterResult.proceed();
            }

            @Override
            public void onComplete(io.gatehouse.api.Exchange exchange, Outcome outcome) {
                calls.add(name + ".complete");
            }
        };
    }

    private ChainExecution execution(TestExchange exchange, ProxyFilter... filters) {
        List<ChainEntry> entries = new ArrayList<>();
        for (int i = 0; i < filters.length; i++) {
            entries.add(new ChainEntry("f" + i, "t", Condition.always(), filters[i]));
        }
        return new ChainExecution(new FilterChain(entries), exchange, scheduler, Duration.ofMillis(200), Runnable::run, replacement -> { });
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    private static Outcome outcome() {
        return TestOutcome.completed(200).durationNanos(1).build();
    }

    @Test
    void shortCircuitStopsTheRequestPassAndOnlyEarlierFiltersSeeTheResponse() throws Exception {
        TestExchange exchange = TestExchange.get("/");
        ChainExecution chain = execution(exchange, recording("a", Optional.empty()),
                recording("b", Optional.of(Response.text(401, "no"))), recording("c", Optional.empty()));
        CompletableFuture<FilterResult> request = new CompletableFuture<>();
        chain.runRequest(request::complete);

        assertThat(await(request).response()).map(Response::status).contains(401);
        exchange.respondWith(401);
        CompletableFuture<FilterResult> response = new CompletableFuture<>();
        chain.runResponse(response::complete);
        assertThat(await(response).proceeds()).isTrue();
        chain.complete(outcome());
        chain.complete(outcome());

        assertThat(calls).containsExactly("a.request", "b.request", "a.response", "b.complete", "a.complete");
    }

    @Test
    void responseReplacementIsSeenByEarlierFilters() throws Exception {
        TestExchange exchange = TestExchange.get("/").respondWith(304);
        ProxyFilter replacer = new ProxyFilter() {
            @Override
            public java.util.concurrent.CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange e) {
                return FilterResult.proceed();
            }

            @Override
            public java.util.concurrent.CompletionStage<FilterResult> onResponse(io.gatehouse.api.Exchange e) {
                return CompletableFuture.supplyAsync(() -> FilterResult.respondResult(Response.text(200, "stored")));
            }
        };
        ChainExecution chain = execution(exchange, recording("a", Optional.empty()), replacer);
        chain.runRequest(result -> { });
        CompletableFuture<FilterResult> response = new CompletableFuture<>();
        chain.runResponse(response::complete);

        assertThat(await(response).response()).map(Response::status).contains(200);
        assertThat(calls).containsExactly("a.request", "a.response");
    }

    @Test
    void exceptionsAndLateStagesBecomeErrorResponses() throws Exception {
        ProxyFilter throwing = exchange -> {
            throw new IllegalStateException("boom");
        };
        CompletableFuture<FilterResult> thrown = new CompletableFuture<>();
        execution(TestExchange.get("/"), throwing).runRequest(thrown::complete);
        assertThat(await(thrown).response()).map(Response::status).contains(500);

        ProxyFilter nullResult = exchange -> CompletableFuture.completedFuture(null);
        CompletableFuture<FilterResult> nulls = new CompletableFuture<>();
        execution(TestExchange.get("/"), nullResult).runRequest(nulls::complete);
        assertThat(await(nulls).response()).map(Response::status).contains(500);

        ProxyFilter never = exchange -> new CompletableFuture<>();
        CompletableFuture<FilterResult> late = new CompletableFuture<>();
        execution(TestExchange.get("/"), never).runRequest(late::complete);
        assertThat(await(late).response()).map(Response::status).contains(504);
    }

    @Test
    void filtersWhoseConditionFailsAreSkippedEntirely() throws Exception {
        TestExchange exchange = TestExchange.get("/other");
        Condition onlyApi = Condition.compile(new io.gatehouse.server.config.WhenSpec(List.of(), List.of(), List.of("/api"),
                List.of(), java.util.Map.of()));
        ChainExecution chain = new ChainExecution(new FilterChain(List.of(
                new ChainEntry("api", "t", onlyApi, recording("api", Optional.empty())),
                new ChainEntry("all", "t", Condition.always(), recording("all", Optional.empty())))),
                exchange, scheduler, Duration.ofSeconds(1), Runnable::run, replacement -> { });
        CompletableFuture<FilterResult> request = new CompletableFuture<>();
        chain.runRequest(request::complete);
        await(request);
        exchange.respondWith(200);
        CompletableFuture<FilterResult> response = new CompletableFuture<>();
        chain.runResponse(response::complete);
        await(response);
        chain.complete(outcome());

        assertThat(calls).containsExactly("all.request", "all.response", "all.complete");
    }

    @Test
    void aNullStageBecomes500() throws Exception {
        TestExchange exchange = TestExchange.get("/").respondWith(200);
        ProxyFilter nullResponse = new ProxyFilter() {
            @Override
            public java.util.concurrent.CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange e) {
                return FilterResult.proceed();
            }

            @Override
            public java.util.concurrent.CompletionStage<FilterResult> onResponse(io.gatehouse.api.Exchange e) {
                return null;
            }
        };
        ChainExecution chain = execution(exchange, nullResponse);
        chain.runRequest(result -> { });
        CompletableFuture<FilterResult> response = new CompletableFuture<>();
        chain.runResponse(response::complete);
        assertThat(await(response).response()).map(Response::status).contains(500);

    }

    @Test
    void noHookStartsAfterTheExchangeCompleted() throws Exception {
        TestExchange exchange = TestExchange.get("/");
        CompletableFuture<FilterResult> gate = new CompletableFuture<>();
        ProxyFilter slow = e -> {
            calls.add("slow.request");
            return gate;
        };
        ChainExecution chain = execution(exchange, slow, recording("later", Optional.empty()));
        CompletableFuture<FilterResult> request = new CompletableFuture<>();
        chain.runRequest(request::complete);
        chain.complete(outcome());
        gate.complete(FilterResult.proceedResult());

        assertThat(calls).containsExactly("slow.request");
        assertThat(request).isNotDone();
    }
}
