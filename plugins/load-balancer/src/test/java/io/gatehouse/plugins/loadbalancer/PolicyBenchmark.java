package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;
import io.gatehouse.api.testkit.TestExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One endpoint selection per operation, as the request path does it: the cluster's available
 * endpoints, then the policy's pick, then the in-flight bookkeeping (selector creation, select,
 * finish). Two threads, so that contention on shared counters shows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class PolicyBenchmark {

    @Param({"3", "100"})
    public int endpoints;

    @Param({"round-robin", "random", "least-request", "peak-ewma", "consistent-hash"})
    public String policyName;

    private Cluster cluster;
    private final TestExchange exchange = TestExchange.get("/").header("X-User", "user-42");

    @Setup
    public void setUp() {
        ClusterSpec.Policy policy = java.util.Arrays.stream(ClusterSpec.Policy.values())
                .filter(p -> p.configName.equals(policyName)).findFirst().orElseThrow();
        List<ClusterSpec.EndpointSpec> specs = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            specs.add(new ClusterSpec.EndpointSpec(new Upstream("http", "10.0." + (i / 250) + "." + (i % 250 + 1), 8080), 1 + i % 3));
        }
        cluster = new Cluster(new ClusterSpec("bench", specs, policy,
                policy == ClusterSpec.Policy.CONSISTENT_HASH ? Optional.of(HashKey.parse("header:X-User")) : Optional.empty(),
                Optional.empty(), Optional.empty(), new ClusterSpec.Outlier(5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, false),
                50, 0, 0, 0, RetryPolicy.DEFAULT));
        for (Endpoint e : cluster.endpoints()) {
            e.recordLatency(1_000_000 + e.index() * 10_000L, System.nanoTime(), Cluster.EWMA_DECAY_NANOS);
        }
    }

    @Benchmark
    public Optional<Upstream> selectAndFinish() {
        ExchangeSelector selector = new ExchangeSelector(cluster, Optional.empty());
        Optional<Upstream> chosen = selector.select(exchange, 1);
        selector.finish();
        return chosen;
    }
}
