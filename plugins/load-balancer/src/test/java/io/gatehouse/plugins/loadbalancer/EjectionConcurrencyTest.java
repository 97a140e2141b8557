package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Outlier ejection under concurrent readers and writers (review risk R6). */
class EjectionConcurrencyTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int THREADS = 2;

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static Cluster cluster(int endpoints, int maxEjectedPercent) {
        List<ClusterSpec.EndpointSpec> specs = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            specs.add(new ClusterSpec.EndpointSpec(new Upstream("http", "10.0.0." + (i + 1), 80), 1));
        }
        return new Cluster(new ClusterSpec("c", specs, ClusterSpec.Policy.ROUND_ROBIN, Optional.empty(), Optional.empty(),
                Optional.empty(), new ClusterSpec.Outlier(3, Duration.ofSeconds(10), Duration.ofSeconds(60), maxEjectedPercent, false),
                0, 0, 0, 0, RetryPolicy.DEFAULT));
    }

    private static long ejected(Cluster cluster, long now) {
        return cluster.endpoints().stream().filter(e -> e.isEjected(now)).count();
    }

    @Test
    void askingWhetherAnEndpointIsAvailableChangesNothing() {
        Cluster cluster = cluster(4, 50);
        Endpoint endpoint = cluster.endpoints().get(0);
        long t = 100 * SECOND;
        cluster.maybeEject(endpoint, 3, t); // ejected for 10 s

        assertThat(endpoint.isAvailable(t + 20 * SECOND)).as("the ejection has run out by then").isTrue();
        assertThat(endpoint.isEjected(t + 5 * SECOND))
                .as("a reader looking at a later time must not end the ejection (it would undo a concurrent new one)").isTrue();
        assertThat(endpoint.isAvailable(t + 5 * SECOND)).isFalse();
    }

    /**
     * Starts tasks at the same instant: each spins (bounded) until all are running, so that they
     * overlap on the CPUs instead of waking one after another as from a barrier.
     */
    private List<Future<?>> together(List<Runnable> tasks) throws Exception {
        AtomicInteger ready = new AtomicInteger();
        AtomicBoolean go = new AtomicBoolean();
        long deadline = System.nanoTime() + 10 * SECOND;
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable task : tasks) {
            futures.add(threads.submit(() -> {
                ready.incrementAndGet();
                while (!go.get()) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("the other tasks did not start");
                    }
                    Thread.onSpinWait();
                }
                task.run();
            }));
        }
        while (ready.get() < tasks.size()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the tasks did not start");
            }
            Thread.onSpinWait();
        }
        go.set(true);
        for (Future<?> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }
        return futures;
    }

    @Test
    void concurrentEjectionsStayWithinMaxEjectedPercent() throws Exception {
        long now = 100 * SECOND;
        for (int round = 0; round < 100; round++) {
            // two threads started together walk the same clusters in step, each failing its own endpoint
            List<Cluster> clusters = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                clusters.add(cluster(4, 25)); // at most 1 of 4 ejected
            }
            List<Runnable> failing = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int index = t;
                failing.add(() -> clusters.forEach(c -> c.maybeEject(c.endpoints().get(index), 3, now)));
            }
            together(failing);
            for (Cluster cluster : clusters) {
                assertThat(ejected(cluster, now)).as("round %d", round).isEqualTo(1);
            }
        }
    }

    @Test
    void anEjectionThatRanOutFreesItsShare() {
        Cluster cluster = cluster(4, 25); // one at a time
        List<Endpoint> all = cluster.endpoints();
        long t = 100 * SECOND;
        cluster.maybeEject(all.get(0), 3, t);
        cluster.maybeEject(all.get(1), 3, t);
        assertThat(ejected(cluster, t)).isEqualTo(1);
        cluster.maybeEject(all.get(1), 3, t + 11 * SECOND); // the first ejection (10 s) has run out
        assertThat(all.get(1).isEjected(t + 11 * SECOND)).isTrue();
        assertThat(all.get(0).isEjected(t + 11 * SECOND)).isFalse();
    }
}
