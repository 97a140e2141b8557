package io.gatehouse.server.bench;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.ChainExecution;
import io.gatehouse.server.chain.Condition;
import io.gatehouse.server.chain.ExchangeOutcome;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.metrics.ExchangeMeters;
import io.gatehouse.server.metrics.FilterMeters;
import io.gatehouse.server.metrics.ServerMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the always-on metrics cost per exchange: {@code recordExchange} is the recording in
 * {@code ExchangeFlow.finish} (requests counter, two timers with buckets, bytes, attempts) on the
 * server's Prometheus registry; {@code chainMetered} and {@code chainUnmetered} are {@link
 * HotPathBenchmark}'s chain of two synchronous filters with the per-filter meters on that registry
 * and with meters that record nothing. Run like {@link HotPathBenchmark} (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

    private ScheduledExecutorService scheduler;
    private ExchangeMeters exchanges;
    private Outcome outcome;
    private FilterChain metered;
    private FilterChain unmetered;

    @Setup(Level.Trial)
    public void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        ServerMetrics metrics = new ServerMetrics();
        exchanges = metrics.exchanges();
        outcome = ExchangeOutcome.builder(Outcome.Kind.COMPLETED).status(200).bodyBytes(0, 1024)
                .durationNanos(850_000).routing(Optional.of("api"), Optional.of("backend")).attempts(1)
                .upstreamTime(Optional.of(Duration.ofNanos(600_000))).build();
        ProxyFilter addHeader = new ProxyFilter() {
            @Override
            public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                exchange.request().headers().set("X-Env", "bench");
                return FilterResult.proceed();
            }

            @Override
            public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                exchange.response().ifPresent(head -> head.headers().set("X-Served-By", "gatehouse"));
                return FilterResult.proceed();
            }
        };
        List<ChainEntry> entries = List.of(new ChainEntry("a", "headers", Condition.always(), addHeader),
                new ChainEntry("b", "headers", Condition.always(), addHeader));
        metered = new FilterChain(entries, List.of(FilterMeters.create(metrics.registry(), "a", "headers"),
                FilterMeters.create(metrics.registry(), "b", "headers")));
        unmetered = new FilterChain(entries);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
    }

    @Benchmark
    public void recordExchange() {
        exchanges.record(outcome);
    }

    @Benchmark
    public void chainMetered(Blackhole sink) {
        run(metered, sink);
    }

    @Benchmark
    public void chainUnmetered(Blackhole sink) {
        run(unmetered, sink);
    }

    private void run(FilterChain chain, Blackhole sink) {
        TestExchange exchange = TestExchange.get("/1k").respondWith(200);
        ChainExecution execution = new ChainExecution(chain, exchange, scheduler, Duration.ofSeconds(10), Runnable::run, replacement -> { });
        execution.runRequest(sink::consume);
        execution.runResponse(sink::consume);
        execution.complete(outcome);
    }
}
