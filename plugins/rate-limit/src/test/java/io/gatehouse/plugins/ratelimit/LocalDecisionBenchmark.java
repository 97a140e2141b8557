package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.plugins.ratelimit.limit.Algorithm;
import io.gatehouse.plugins.ratelimit.limit.KeyValues;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.LocalStore;
import io.gatehouse.plugins.ratelimit.limit.Rate;
import io.gatehouse.plugins.ratelimit.limit.Ticker;
import io.gatehouse.plugins.ratelimit.limit.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The local decision path, uncontended (one thread) unless stated: one key's decision in the
 * store (admitted, and refused), a decision over 100,000 keys in turn (cache misses), and the
 * whole {@code onRequest} of the filter with a client-IP key (key resolution included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class LocalDecisionBenchmark {

    @Param({"token-bucket", "sliding-window", "gcra"})
    public String algorithm;

    private LocalStore admitting;
    private LocalStore refusing;
    private final KeyValues oneKey = KeyValues.of("203.0.113.7");
    private KeyValues[] manyKeys;
    private int next;
    private FilterHarness harness;
    private ProxyFilter filter;
    private TestExchange exchange;

    @Setup
    public void setUp() throws UnknownHostException {
        Algorithm chosen = Algorithm.valueOf(algorithm.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        admitting = new LocalStore(List.of(new LimitSpec("b", new Rate(Rate.MAX_COUNT, java.time.Duration.ofMillis(1)), Rate.MAX_COUNT, chosen)),
                200_000, Ticker.system());
        refusing = new LocalStore(List.of(new LimitSpec("b", Rate.parse("1/h"), 1, chosen)), 200_000, Ticker.system());
        manyKeys = new KeyValues[100_000];
        for (int i = 0; i < manyKeys.length; i++) {
            manyKeys[i] = KeyValues.of("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        harness = FilterHarness.of(new RateLimitFilterFactory(), Map.of("key", "client-ip", "rate", Rate.MAX_COUNT + "/ms",
                "algorithm", algorithm));
        filter = harness.filter();
        exchange = TestExchange.get("/orders").clientIp(InetAddress.getByName("203.0.113.7"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        harness.close();
    }

    @Benchmark
    public Verdict admitted() {
        return admitting.decide(oneKey);
    }

    @Benchmark
    public Verdict refused() {
        return refusing.decide(oneKey);
    }

    @Benchmark
    public Verdict admittedOverManyKeys() {
        KeyValues keys = manyKeys[next];
        next = next + 1 == manyKeys.length ? 0 : next + 1;
        return admitting.decide(keys);
    }

    @Benchmark
    @Threads(2)
    public Verdict admittedOneKeyTwoThreads() {
        return admitting.decide(oneKey);
    }

    @Benchmark
    public CompletionStage<FilterResult> filterOnRequest() {
        return filter.onRequest(exchange);
    }
}
