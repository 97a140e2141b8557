package io.gatehouse.server.upstream;

import org.apache.hc.core5.reactor.IOWorkerSelector;
import org.apache.hc.core5.reactor.IOWorkerStats;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O threads of Gatehouse's one reactor, and the rule that places new connections on them:
 * an origin connection opened by an exchange goes to the worker that runs the exchange's client
 * connection, so both legs of an exchange live on one thread (no hand-off between threads per
 * request); accepted connections and connections opened from other threads are spread round-robin.
 */
public final class ReactorWorkers implements ThreadFactory, IOWorkerSelector {

    /** An I/O thread that knows its worker index. */
    static final class WorkerThread extends Thread {
        private final int index;

        WorkerThread(Runnable task, int index) {
            super(task, "gatehouse-io-" + (index + 1));
            this.index = index;
        }

        int index() {
            return index;
        }
    }

    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
        // HttpCore creates the dispatch threads in worker order, so creation order is the worker index
        return new WorkerThread(task, created.getAndIncrement());
    }

    @Override
    public int select(IOWorkerStats[] workers) {
        int current = currentWorker();
        if (current >= 0 && current < workers.length) {
            return current;
        }
        return Math.floorMod(next.getAndIncrement(), workers.length);
    }

    /** @return the worker index of the calling thread, or -1 when it is not an I/O thread */
    static int currentWorker() {
        Thread thread = Thread.currentThread();
        return thread instanceof WorkerThread ? ((WorkerThread) thread).index() : -1;
    }
}
