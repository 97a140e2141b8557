package io.gatehouse.api;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Services the server offers to one filter instance.
 *
 * @since 0.1
 */
public interface FilterContext {

    /** @return the instance name: {@code filters[].name}, or the type with its index, e.g. {@code headers#2} */
    String instanceName();

    /** @return the clock to read time from (replaceable in tests) */
    Clock clock();

    /**
     * A shared scheduler for timers. Tasks must be short and must not block.
     *
     * @return the scheduler; do not shut it down
     */
    ScheduledExecutorService scheduler();

    /**
     * An executor for blocking work (file reads, blocking clients), so that I/O threads never
     * block.
     *
     * @return the executor
     */
    Executor blockingExecutor();
}
