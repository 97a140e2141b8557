package io.gatehouse.plugins.accesslog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A bounded queue of lines and the one thread that writes them to a {@link LineSink}.
 * {@link #offer} never blocks: when the queue holds {@code maxLines} lines or {@code maxChars}
 * characters, the line is dropped and counted, and the count is logged at {@code WARN} at most
 * every ten seconds. So a slow disk costs lines, never an I/O thread or unbounded memory.
 */
final class AsyncLineWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncLineWriter.class);
    private static final long REPORT_INTERVAL = TimeUnit.SECONDS.toNanos(10);
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final String name;
    private final LineSink sink;
    private final ArrayBlockingQueue<String> queue;
    private final int maxLines;
    private final long maxChars;
    private final LongSupplier nanoClock;
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private long droppedReported;
    private long failedReported;
    private long lastReport;

    /**
     * Starts the writer thread.
     *
     * @param name the filter instance's name, for the thread and log lines
     * @param sink where lines go
     * @param maxLines the most lines waiting
     * @param maxChars the most characters waiting
     * @param nanoClock a monotonic clock, for the drop reports
     */
    AsyncLineWriter(String name, LineSink sink, int maxLines, long maxChars, LongSupplier nanoClock) {
        this.name = name;
        this.sink = sink;
        this.maxLines = maxLines;
        this.maxChars = maxChars;
        this.queue = new ArrayBlockingQueue<>(maxLines);
        this.nanoClock = nanoClock;
        this.lastReport = nanoClock.getAsLong();
        this.thread = new Thread(this::run, "gatehouse-access-log-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a line without waiting. Thread-safe.
     *
     * @param line the line
     * @return false when it was dropped (the queue is full, or the writer closed)
     */
    boolean offer(String line) {
        int length = line.length();
        if (!running || queuedChars.addAndGet(length) > maxChars) {
            queuedChars.addAndGet(-length);
            dropped.incrementAndGet();
            return false;
        }
        if (!queue.offer(line)) {
            queuedChars.addAndGet(-length);
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            String line;
            try {
                line = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                running = false; // nobody interrupts this thread but the JVM going down: drain what there is
                continue;
            }
            while (line != null) {
                queuedChars.addAndGet(-line.length());
                write(line);
                line = queue.poll();
            }
            try {
                sink.flush();
            } catch (IOException e) {
                failed.incrementAndGet();
                sink.close();
            }
            report(false);
        }
        sink.close();
        report(true);
    }

    private void write(String line) {
        try {
            sink.write(line);
            written.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            if (failed.incrementAndGet() - failedReported == 1) {
                LOG.warn("access-log {}: cannot write to {}: {}", name, sink.describe(), e.toString());
            }
            sink.close(); // reopened with the next line
        }
    }

    /** Logs the lines dropped or lost since the last report, at most every ten seconds (always at the end). */
    private void report(boolean last) {
        long now = nanoClock.getAsLong();
        if (!last && now - lastReport < REPORT_INTERVAL) {
            return;
        }
        lastReport = now;
        long drops = dropped.get();
        long failures = failed.get();
        if (drops > droppedReported) {
            LOG.warn("access-log {}: {} line(s) dropped since the last report: the writer could not keep up "
                    + "(buffer of {} lines, {} characters)", name, drops - droppedReported, maxLines, maxChars);
        }
        if (failures > failedReported) {
            LOG.warn("access-log {}: {} line(s) lost to write errors on {} since the last report", name,
                    failures - failedReported, sink.describe());
        }
        droppedReported = drops;
        failedReported = failures;
    }

    /** @return lines written so far */
    long written() {
        return written.get();
    }

    /** @return lines dropped because the queue was full */
    long dropped() {
        return dropped.get();
    }

    /** @return lines lost to write errors */
    long failed() {
        return failed.get();
    }

    /** @return lines waiting */
    int queued() {
        return queue.size();
    }

    /** @return characters waiting */
    long queuedChars() {
        return queuedChars.get();
    }

    /** @return a summary for {@code status()} */
    String status() {
        return "output: " + sink.describe() + "\nlines: " + written() + " written, " + dropped() + " dropped (buffer full), "
                + failed() + " lost (write errors), " + queued() + " queued (at most " + maxLines + " lines, " + maxChars
                + " characters)\n";
    }

    /** Stops taking lines, writes what is queued (for at most five seconds) and closes the sink. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("access-log {}: {} line(s) still queued after {} ms at close; left behind", name, queue.size(), CLOSE_WAIT_MILLIS);
        }
    }
}
