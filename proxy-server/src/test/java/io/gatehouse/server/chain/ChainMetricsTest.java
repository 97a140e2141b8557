package io.gatehouse.server.chain;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutcome;
import io.gatehouse.server.metrics.FilterMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain engine times and counts every hook of every filter instance. */
class ChainMetricsTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private ChainExecution execution(TestExchange exchange, ProxyFilter... filters) {
        List<ChainEntry> entries = new ArrayList<>();
        List<FilterMeters> meters = new ArrayList<>();
        for (int i = 0; i < filters.length; i++) {
            entries.add(new ChainEntry("f" + i, "t", Condition.always(), filters[i]));
            meters.add(FilterMeters.create(registry, "f" + i, "t"));
        }
        return new ChainExecution(new FilterChain(entries, meters), exchange, scheduler, Duration.ofMillis(100), Runnable::run,
                replacement -> { });
    }

    private double count(String name, String filter, String hook) {
        return registry.get(name).tags("filter", filter, "hook", hook).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private long timed(String filter, String hook) {
        return registry.get("gatehouse.filter.duration").tags("filter", filter, "hook", hook).timer().count();
    }

    private static FilterResult run(ChainExecution chain) throws Exception {
        CompletableFuture<FilterResult> result = new CompletableFuture<>();
        chain.runRequest(result::complete);
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void callsShortCircuitsAndLatencyPerHook() throws Exception {
        ProxyFilter proceeding = new ProxyFilter() {
            @Override
            public CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange exchange) {
                return CompletableFuture.supplyAsync(FilterResult::proceedResult,
                        CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
            }
        };
        ProxyFilter answering = exchange -> FilterResult.respond(Response.text(401, "no"));
        TestExchange exchange = TestExchange.get("/");
        ChainExecution chain = execution(exchange, proceeding, answering);

        assertThat(run(chain).response()).map(Response::status).contains(401);
        exchange.respondWith(401);
        CompletableFuture<FilterResult> response = new CompletableFuture<>();
        chain.runResponse(response::complete);
        response.get(5, TimeUnit.SECONDS);
        chain.complete(TestOutcome.completed(401).durationNanos(1).build());

        assertThat(count("gatehouse.filter.calls", "f0", "onRequest")).isEqualTo(1);
        assertThat(count("gatehouse.filter.calls", "f1", "onRequest")).isEqualTo(1);
        assertThat(count("gatehouse.filter.calls", "f0", "onResponse")).isEqualTo(1);
        assertThat(count("gatehouse.filter.calls", "f1", "onResponse")).isZero();
        assertThat(count("gatehouse.filter.calls", "f1", "onComplete")).isEqualTo(1);
        assertThat(count("gatehouse.filter.short.circuits", "f0", "onRequest")).isZero();
        assertThat(count("gatehouse.filter.short.circuits", "f1", "onRequest")).isEqualTo(1);
        assertThat(timed("f0", "onRequest")).isEqualTo(1);
        assertThat(timed("f1", "onRequest")).isEqualTo(1);
        assertThat(timed("f0", "onResponse")).isEqualTo(1);
        // from the call to the completion of its stage, not only the synchronous call
        assertThat(registry.get("gatehouse.filter.duration").tags("filter", "f0", "hook", "onRequest").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(4);
    }

    @Test
    void throwsFailedStagesAndTimeoutsAreErrors() throws Exception {
        ProxyFilter throwing = exchange -> {
            throw new IllegalStateException("boom");
        };
        run(execution(TestExchange.get("/"), throwing));
        assertThat(registry.get("gatehouse.filter.errors").tags("filter", "f0", "hook", "onRequest", "cause", "failure")
                .counter().count()).isEqualTo(1);

        ProxyFilter never = exchange -> new CompletableFuture<>();
        registry.clear();
        assertThat(run(execution(TestExchange.get("/"), never)).response()).map(Response::status).contains(504);
        assertThat(registry.get("gatehouse.filter.errors").tags("filter", "f0", "hook", "onRequest", "cause", "timeout")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("gatehouse.filter.errors").tags("filter", "f0", "hook", "onRequest", "cause", "failure")
                .counter().count()).isZero();
        assertThat(timed("f0", "onRequest")).isEqualTo(1);
    }
}
