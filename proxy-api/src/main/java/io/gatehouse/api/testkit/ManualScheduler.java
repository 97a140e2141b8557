package io.gatehouse.api.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler and clock under the test's control, for filters that use
 * {@link io.gatehouse.api.FilterContext#scheduler()} and {@link io.gatehouse.api.FilterContext#clock()}:
 * time stands still until {@link #advance} moves it, and tasks run only then, on the calling
 * thread, in the order they fall due (like Netty's {@code EmbeddedChannel.advanceTimeBy}). A
 * test of a timeout, a refresh or a periodic job runs in no time and the same way every time.
 *
 * <pre>{@code
 * ManualScheduler time = ManualScheduler.create();
 * try (FilterHarness harness = FilterHarness.builder(new MyFactory()).config(Map.of("ttl", "30s")).scheduler(time).build()) {
 *     ...
 *     time.advance(Duration.ofSeconds(30));   // the clock moves and the tasks due by then run
 * }
 * }</pre>
 *
 * <p>Tasks given to {@code execute} or {@code submit} are due at once; they run at the next
 * {@link #advance} or {@link #runDueTasks}. Periodic tasks run once per period that elapses.
 * Like a {@code ScheduledThreadPoolExecutor}, a task that throws completes its future
 * exceptionally (a periodic one stops). Like the scheduler the server gives filters, it cannot be
 * shut down; the blocking {@code invokeAll} and {@code invokeAny} are not supported. Thread-safe:
 * tasks may be scheduled from any thread.
 *
 * @since 0.2
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final Instant start;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;

    private ManualScheduler(Instant start) {
        this.start = start;
    }

    /** @return a scheduler whose clock starts at 2025-01-01T00:00:00Z */
    public static ManualScheduler create() {
        return new ManualScheduler(DEFAULT_START);
    }

    /**
     * @param start the clock's first instant
     * @return a scheduler whose clock starts there
     */
    public static ManualScheduler startingAt(Instant start) {
        return new ManualScheduler(Objects.requireNonNull(start, "start"));
    }

    /** @return a UTC clock that shows this scheduler's time */
    public Clock clock() {
        return new ManualClock(this, ZoneOffset.UTC);
    }

    /** @return the current time */
    public synchronized Instant now() {
        return start.plusNanos(nowNanos);
    }

    /**
     * Moves time forward by {@code duration}, running every task that falls due on the way, in
     * due order, with the clock set to each task's due time while it runs (tasks scheduled by
     * those tasks run too, if they fall due in time).
     *
     * @param duration how far; zero runs only what is due now
     * @return how many tasks ran
     */
    public int advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        long target;
        synchronized (this) {
            target = Math.addExact(nowNanos, duration.toNanos());
        }
        int ran = 0;
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    nowNanos = target;
                    return ran;
                }
                queue.poll();
                nowNanos = Math.max(nowNanos, next.due);
            }
            next.run();
            ran++;
        }
    }

    /**
     * Runs the tasks due now without moving time: those given to {@code execute} and
     * {@code submit}, and scheduled ones whose time has come.
     *
     * @return how many tasks ran
     */
    public int runDueTasks() {
        return advance(Duration.ZERO);
    }

    /** @return how many tasks wait to run (cancelled ones are gone) */
    public synchronized int pendingTasks() {
        return queue.size();
    }

    /** @return how long until the next task falls due, or empty when none waits */
    public synchronized Optional<Duration> nextTaskIn() {
        Task<?> next = queue.peek();
        return next == null ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, next.due - nowNanos)));
    }

    // ------------------------------------------------------------------ ScheduledExecutorService

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(Objects.requireNonNull(command, "command"), null), delayNanos(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Objects.requireNonNull(callable, "callable"), delayNanos(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(Objects.requireNonNull(command, "command"), null),
                delayNanos(initialDelay, unit), positive(period, unit)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(Objects.requireNonNull(command, "command"), null),
                delayNanos(initialDelay, unit), -positive(delay, unit)));
    }

    @Override
    public void execute(Runnable command) {
        if (command instanceof ManualScheduler.Task<?> task && task.owner() == this) {
            enqueue(task); // from submit(): the future submit returned is the task itself
        } else {
            schedule(command, 0, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new Task<>(callable, 0, 0);
    }

    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new Task<>(Executors.callable(runnable, value), 0, 0);
    }

    /** Refused: the test owns this scheduler, as the server owns the one it gives filters. */
    @Override
    public void shutdown() {
        throw new UnsupportedOperationException("the test owns this scheduler; cancel your tasks instead");
    }

    /** Refused: the test owns this scheduler, as the server owns the one it gives filters. */
    @Override
    public List<Runnable> shutdownNow() {
        throw new UnsupportedOperationException("the test owns this scheduler; cancel your tasks instead");
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }

    /** Not supported: it would wait for tasks that run only when the test advances time. */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw blocking();
    }

    /** Not supported: it would wait for tasks that run only when the test advances time. */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw blocking();
    }

    /** Not supported: it would wait for tasks that run only when the test advances time. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
        throw blocking();
    }

    /** Not supported: it would wait for tasks that run only when the test advances time. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw blocking();
    }

    private static UnsupportedOperationException blocking() {
        return new UnsupportedOperationException("blocking calls wait for tasks that run only in advance(): not supported");
    }

    // ------------------------------------------------------------------ internals

    private static long delayNanos(long delay, TimeUnit unit) {
        return Math.max(0, unit.toNanos(delay));
    }

    private static long positive(long period, TimeUnit unit) {
        long nanos = unit.toNanos(period);
        if (nanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period + " " + unit);
        }
        return nanos;
    }

    private <V> Task<V> enqueue(Task<V> task) {
        synchronized (this) {
            task.due = nowNanos + task.due; // a delay until now
            task.sequence = sequence++;
            queue.add(task);
        }
        return task;
    }

    private synchronized void requeue(Task<?> task, long due) {
        task.due = due;
        task.sequence = sequence++;
        queue.add(task);
    }

    private synchronized void remove(Task<?> task) {
        queue.remove(task);
    }

    private synchronized long nanos() {
        return nowNanos;
    }

    /** One task: its due time on this scheduler's clock, and its period (positive: fixed rate, negative: fixed delay). */
    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long period;
        private long due;
        private long sequence;

        Task(Callable<V> callable, long delay, long period) {
            super(callable);
            this.due = delay;
            this.period = period;
        }

        @Override
        public void run() {
            if (period == 0) {
                super.run();
            } else if (runAndReset() && !isCancelled()) {
                requeue(this, period > 0 ? due + period : nanos() - period);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                remove(this);
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - nanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof ManualScheduler.Task<?> task) {
                int byDue = Long.compare(due, task.due);
                return byDue != 0 ? byDue : Long.compare(sequence, task.sequence);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        ManualScheduler owner() {
            return ManualScheduler.this;
        }
    }

    /** A clock that reads the scheduler's time. */
    private static final class ManualClock extends Clock {
        private final ManualScheduler scheduler;
        private final ZoneId zone;

        ManualClock(ManualScheduler scheduler, ZoneId zone) {
            this.scheduler = scheduler;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new ManualClock(scheduler, Objects.requireNonNull(other, "zone"));
        }

        @Override
        public Instant instant() {
            return scheduler.now();
        }

        @Override
        public String toString() {
            return "ManualClock[" + instant() + ", " + zone + "]";
        }
    }

    @Override
    public String toString() {
        return "ManualScheduler[" + now() + ", " + pendingTasks() + " pending]";
    }
}
