package io.gatehouse.server.bench;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.ChainExecution;
import io.gatehouse.server.chain.Condition;
import io.gatehouse.server.chain.FilterChain;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The per-request work of the chain engine: running two synchronous filters' {@code onRequest}
 * and {@code onResponse} and their {@code onComplete}. Run with
 * {@code java -cp "$(cat target/test-classpath.txt):target/test-classes:target/classes" org.openjdk.jmh.Main HotPathBenchmark}
 * (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {

    private ScheduledExecutorService scheduler;
    private FilterChain chain;

    @Setup(Level.Trial)
    public void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
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
        chain = new FilterChain(List.of(
                new ChainEntry("a", "headers", Condition.always(), addHeader),
                new ChainEntry("b", "headers", Condition.always(), addHeader)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
    }

    @Benchmark
    public void chainWithTwoFilters(Blackhole sink) {
        TestExchange exchange = TestExchange.get("/1k").respondWith(200);
        ChainExecution execution = new ChainExecution(chain, exchange, scheduler, Duration.ofSeconds(10), Runnable::run, replacement -> { });
        execution.runRequest(sink::consume);
        execution.runResponse(sink::consume);
        execution.complete(null);
    }
}
