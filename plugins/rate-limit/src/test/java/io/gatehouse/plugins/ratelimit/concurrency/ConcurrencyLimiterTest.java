package io.gatehouse.plugins.ratelimit.concurrency;

import io.gatehouse.api.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** In-flight caps per key, with a bounded queue, on the test's time. */
class ConcurrencyLimiterTest {

    private final ManualScheduler time = ManualScheduler.create();

    private static boolean admitted(Ticket ticket) {
        CompletableFuture<Boolean> stage = ticket.admitted().toCompletableFuture();
        assertThat(stage).isDone();
        return stage.join();
    }

    @Test
    void atMostMaxInFlightPerKey() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 0, Duration.ofSeconds(1), time);
        Ticket a = limiter.acquire("k");
        Ticket b = limiter.acquire("k");
        Ticket c = limiter.acquire("k");
        assertThat(admitted(a)).isTrue();
        assertThat(admitted(b)).isTrue();
        assertThat(admitted(c)).isFalse();
        assertThat(admitted(limiter.acquire("other"))).isTrue();
        c.close();
        a.close();
        assertThat(admitted(limiter.acquire("k"))).isTrue();
    }

    @Test
    void waitersGetFreedSlotsInOrderOrGiveUpAfterTheTimeout() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 2, Duration.ofMillis(500), time);
        Ticket holder = limiter.acquire("k");
        Ticket first = limiter.acquire("k");
        Ticket second = limiter.acquire("k");
        Ticket third = limiter.acquire("k");
        assertThat(admitted(third)).as("the queue holds two").isFalse();
        assertThat(first.admitted().toCompletableFuture()).isNotDone();

        holder.close();
        assertThat(admitted(first)).isTrue();
        assertThat(second.admitted().toCompletableFuture()).isNotDone();

        time.advance(Duration.ofMillis(500));
        assertThat(admitted(second)).as("waited too long").isFalse();
        first.close();
        assertThat(limiter.activeKeys()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aWaiterThatLeavesGivesUpItsPlace() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 5, Duration.ofSeconds(5), time);
        Ticket holder = limiter.acquire("k");
        Ticket leaving = limiter.acquire("k");
        Ticket staying = limiter.acquire("k");
        leaving.close();
        assertThat(admitted(leaving)).isFalse();
        holder.close();
        assertThat(admitted(staying)).isTrue();
        staying.close();
        staying.close();   // closing twice changes nothing
        assertThat(limiter.activeKeys()).isZero();
    }

    @Test
    void theCapHoldsUnderConcurrentUse() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(3, 100, Duration.ofSeconds(30), timer);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int threads = 8;
        int each = 2_000;
        CountDownLatch done = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        Ticket ticket = limiter.acquire("k");
                        if (ticket.admitted().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            inFlight.decrementAndGet();
                        }
                        ticket.close();
                    }
                } catch (Exception e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        timer.shutdown();
        assertThat(errors).isEmpty();
        assertThat(most.get()).isBetween(1, 3);
        assertThat(limiter.activeKeys()).isZero();
    }
}
