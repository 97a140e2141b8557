package io.gatehouse.server.chain;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginThreadsTest {

    private final PluginThreads threads = new PluginThreads();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        threads.close();
    }

    @Test
    void filtersCannotShutTheirSchedulerDown() throws Exception {
        assertThatThrownBy(() -> threads.scheduler().shutdown()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> threads.scheduler().shutdownNow()).isInstanceOf(UnsupportedOperationException.class);

        CountDownLatch ran = new CountDownLatch(1);
        threads.scheduler().schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
        assertThat(ran.await(5, TimeUnit.SECONDS)).as("still scheduling").isTrue();
    }

    @Test
    void theSchedulerIsNotTheCoresTimer() throws Exception {
        String[] name = new String[1];
        CountDownLatch ran = new CountDownLatch(1);
        threads.scheduler().execute(() -> {
            name[0] = Thread.currentThread().getName();
            ran.countDown();
        });
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(name[0]).startsWith("gatehouse-plugin-timer-");
    }

    @Test
    void theBlockingPoolIsBounded() throws Exception {
        CountDownLatch busy = new CountDownLatch(PluginThreads.BLOCKING_THREADS);
        Runnable blocked = () -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        for (int i = 0; i < PluginThreads.BLOCKING_THREADS + PluginThreads.BLOCKING_QUEUE; i++) {
            threads.blockingExecutor().execute(blocked);
        }
        assertThat(busy.await(5, TimeUnit.SECONDS)).as("every thread busy").isTrue();

        assertThatThrownBy(() -> threads.blockingExecutor().execute(blocked)).isInstanceOf(RejectedExecutionException.class);
    }
}
