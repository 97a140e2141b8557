package io.gatehouse.api.testkit;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManualSchedulerTest {

    private final ManualScheduler time = ManualScheduler.startingAt(Instant.parse("2030-06-01T12:00:00Z"));
    private final Clock clock = time.clock();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void nothingRunsUntilTimeIsAdvancedPastItsDueTime() {
        time.schedule(() -> ran.add("at " + clock.instant()), 10, TimeUnit.SECONDS);

        assertThat(time.advance(Duration.ofSeconds(9))).isZero();
        assertThat(ran).isEmpty();
        assertThat(time.nextTaskIn()).hasValue(Duration.ofSeconds(1));
        assertThat(time.advance(Duration.ofSeconds(5))).isEqualTo(1);

        assertThat(ran).containsExactly("at 2030-06-01T12:00:10Z");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-06-01T12:00:14Z"));
        assertThat(time.pendingTasks()).isZero();
        assertThat(time.nextTaskIn()).isEmpty();
    }

    @Test
    void tasksRunInDueOrderAndInSubmissionOrderWhenDueTogether() {
        time.schedule(() -> ran.add("c"), 3, TimeUnit.SECONDS);
        time.schedule(() -> ran.add("a"), 1, TimeUnit.SECONDS);
        time.schedule(() -> ran.add("b1"), 2, TimeUnit.SECONDS);
        time.schedule(() -> ran.add("b2"), 2, TimeUnit.SECONDS);

        time.advance(Duration.ofMinutes(1));

        assertThat(ran).containsExactly("a", "b1", "b2", "c");
    }

    @Test
    void tasksScheduledByTasksRunWhenTheyFallDueWithinTheSameAdvance() {
        time.schedule(() -> {
            ran.add("first");
            time.schedule(() -> ran.add("second at " + clock.instant()), 5, TimeUnit.SECONDS);
        }, 5, TimeUnit.SECONDS);

        time.advance(Duration.ofSeconds(12));

        assertThat(ran).containsExactly("first", "second at 2030-06-01T12:00:10Z");
    }

    @Test
    void aFixedRateTaskRunsOncePerElapsedPeriodAndAFixedDelayOneAfterEachRun() {
        time.scheduleAtFixedRate(() -> ran.add("rate " + clock.millis() % 100_000), 10, 10, TimeUnit.SECONDS);
        ScheduledFuture<?> delay = time.scheduleWithFixedDelay(() -> ran.add("delay"), 0, 15, TimeUnit.SECONDS);

        time.advance(Duration.ofSeconds(35));

        assertThat(ran).filteredOn(r -> r.startsWith("rate")).hasSize(3);
        assertThat(ran).filteredOn(r -> r.equals("delay")).hasSize(3); // at 0, 15 and 30
        assertThat(delay.getDelay(TimeUnit.SECONDS)).isEqualTo(10);
        assertThat(time.pendingTasks()).isEqualTo(2);
    }

    @Test
    void aCancelledTaskNeverRunsAndLeavesTheQueue() {
        ScheduledFuture<?> task = time.schedule(() -> ran.add("cancelled"), 1, TimeUnit.SECONDS);
        time.scheduleAtFixedRate(() -> ran.add("tick"), 1, 1, TimeUnit.SECONDS);

        assertThat(task.cancel(false)).isTrue();
        assertThat(time.pendingTasks()).isEqualTo(1);
        time.advance(Duration.ofSeconds(2));

        assertThat(ran).containsExactly("tick", "tick");
        assertThat(task.isCancelled()).isTrue();
    }

    @Test
    void executedAndSubmittedTasksRunAtTheNextRunOfDueTasks() throws Exception {
        time.execute(() -> ran.add("executed"));
        Future<String> submitted = time.submit(() -> "value");

        assertThat(ran).isEmpty();
        assertThat(submitted).isNotDone();
        assertThat(time.runDueTasks()).isEqualTo(2);

        assertThat(ran).containsExactly("executed");
        assertThat(submitted.get()).isEqualTo("value");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-06-01T12:00:00Z"));
    }

    @Test
    void aThrowingTaskFailsItsFutureAndAPeriodicOneStops() {
        ScheduledFuture<Object> once = time.schedule(() -> {
            throw new IllegalStateException("once");
        }, 1, TimeUnit.SECONDS);
        ScheduledFuture<?> periodic = time.scheduleAtFixedRate(() -> {
            ran.add("tick");
            throw new IllegalStateException("periodic");
        }, 1, 1, TimeUnit.SECONDS);

        time.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("tick");
        assertThatThrownBy(once::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("once");
        assertThat(periodic.isDone()).isTrue();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void itCannotBeShutDownNorBlockedOn() {
        assertThatThrownBy(time::shutdown).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(time::shutdownNow).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> time.invokeAll(List.of(() -> "x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> time.invokeAny(List.of(() -> "x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(time.isShutdown()).isFalse();
        assertThatThrownBy(() -> time.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> time.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theClockInAnotherZoneShowsTheSameInstant() {
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        time.advance(Duration.ofHours(1));

        assertThat(paris.instant()).isEqualTo(clock.instant()).isEqualTo(time.now());
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(ManualScheduler.create().now()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }
}
