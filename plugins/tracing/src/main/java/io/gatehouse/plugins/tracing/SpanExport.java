package io.gatehouse.plugins.tracing;

import io.gatehouse.api.metrics.FilterMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands finished spans to OpenTelemetry's {@link BatchSpanProcessor} without ever blocking: at
 * most {@code capacity} spans wait for export (the processor's queue is as large, so it never
 * drops silently); the spans of an exchange that do not fit are dropped whole and counted. The
 * processor's own thread batches them and calls the exporter, which this class wraps to count
 * what was exported and what failed. Thread-safe.
 */
final class SpanExport implements AutoCloseable {

    private final SpanProcessor processor;
    private final int capacity;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final FilterMetrics.Counter exportedCounter;
    private final FilterMetrics.Counter droppedCounter;
    private final FilterMetrics.Counter failedCounter;

    /**
     * @param exporter sends batches (OTLP)
     * @param capacity the most spans waiting for export
     * @param batchSize the most spans per export call
     * @param delay the longest a span waits for its batch to fill
     * @param timeout the longest one export call may take
     * @param metrics where the counts are published
     */
    SpanExport(SpanExporter exporter, int capacity, int batchSize, Duration delay, Duration timeout, FilterMetrics metrics) {
        this.capacity = capacity;
        this.exportedCounter = metrics.counter("spans", "result", "exported");
        this.droppedCounter = metrics.counter("spans", "result", "dropped");
        this.failedCounter = metrics.counter("spans", "result", "failed");
        metrics.gauge("spans.queued", waiting::get);
        this.processor = BatchSpanProcessor.builder(new Counting(exporter)).setMaxQueueSize(capacity)
                .setMaxExportBatchSize(batchSize).setScheduleDelay(delay).setExporterTimeout(timeout).build();
    }

    /**
     * Queues the spans of one exchange, or drops them all when they do not fit.
     *
     * @param spans the exchange's spans
     * @return whether they were queued
     */
    boolean offer(List<TimedSpan> spans) {
        int n = spans.size();
        int now;
        do {
            now = waiting.get();
            if (now + n > capacity) {
                dropped.addAndGet(n);
                droppedCounter.increment(n);
                return false;
            }
        } while (!waiting.compareAndSet(now, now + n));
        for (TimedSpan span : spans) {
            processor.onEnd(span);
        }
        return true;
    }

    /** @return spans waiting for export */
    int waiting() {
        return waiting.get();
    }

    /** @return spans the collector accepted */
    long exported() {
        return exported.get();
    }

    /** @return spans dropped because the queue was full */
    long dropped() {
        return dropped.get();
    }

    /** @return spans whose export failed (collector down, refused, timed out) */
    long failed() {
        return failed.get();
    }

    /**
     * Exports what is queued, waiting at most {@code timeout}.
     *
     * @param timeout the bound
     * @return whether everything was exported in time
     */
    boolean flush(Duration timeout) {
        return processor.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /** Exports what is queued (for at most 5 seconds) and stops the processor's thread and the exporter. */
    @Override
    public void close() {
        processor.shutdown().join(5, TimeUnit.SECONDS);
    }

    /** Counts what the processor hands the exporter, and how that ends. */
    private final class Counting implements SpanExporter {
        private final SpanExporter delegate;

        Counting(SpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            int n = spans.size();
            waiting.addAndGet(-n);
            CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> {
                if (result.isSuccess()) {
                    exported.addAndGet(n);
                    exportedCounter.increment(n);
                } else {
                    failed.addAndGet(n);
                    failedCounter.increment(n);
                }
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}
