package io.gatehouse.server.chain;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the server lends to filters: their own timer ({@code gatehouse-plugin-timer}) and
 * a bounded pool for blocking work ({@code gatehouse-blocking}: at most {@value #BLOCKING_THREADS}
 * threads and {@value #BLOCKING_QUEUE} waiting tasks; past that, {@code execute} throws {@link
 * java.util.concurrent.RejectedExecutionException}). Filters cannot shut them down; the server
 * closes them when it stops.
 */
public final class PluginThreads implements AutoCloseable {

    static final int BLOCKING_THREADS = 16;
    static final int BLOCKING_QUEUE = 1024;

    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor blocking;
    private final ScheduledExecutorService scheduler;
    private final Executor blockingExecutor;

    /** Starts the threads (lazily: the pool's threads start with its first tasks). */
    public PluginThreads() {
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("gatehouse-plugin-timer"));
        timer.setRemoveOnCancelPolicy(true);
        blocking = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(BLOCKING_QUEUE), daemonThreads("gatehouse-blocking"), new ThreadPoolExecutor.AbortPolicy());
        blocking.allowCoreThreadTimeOut(true);
        scheduler = new PluginScheduler(timer);
        blockingExecutor = blocking::execute;
    }

    /** @return the filters' timer, which they cannot shut down */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** @return the bounded executor for filters' blocking work */
    public Executor blockingExecutor() {
        return blockingExecutor;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        blocking.shutdownNow();
    }

    /**
     * @param name the threads' name prefix
     * @return a factory of daemon threads named {@code name-1}, {@code name-2}, ...
     */
    public static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
