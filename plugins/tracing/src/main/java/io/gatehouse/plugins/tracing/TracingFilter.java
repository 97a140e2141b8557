package io.gatehouse.plugins.tracing;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code tracing} filter instance: in {@code onComplete}, turns a sampled exchange into its
 * spans and queues them for export; an unsampled exchange costs one check. Never blocks the
 * exchange's thread: the spans are built there (a few microseconds) and offered to a bounded
 * queue, and the export runs on the batch processor's own thread. Thread-safe.
 */
final class TracingFilter implements ProxyFilter {

    private static final Logger LOG = LoggerFactory.getLogger(TracingFilter.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final String name;
    private final ExchangeSpans spans;
    private final SpanExport export;
    private final AtomicLong lastDropWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    TracingFilter(String name, ExchangeSpans spans, SpanExport export) {
        this.name = name;
        this.spans = spans;
        this.export = export;
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        return FilterResult.proceed();
    }

    @Override
    public boolean readsTimings() {
        return true;
    }

    @Override
    public void onComplete(Exchange exchange, Outcome outcome) {
        if (outcome.timings().isEmpty()) {
            return;
        }
        List<TimedSpan> made = spans.of(exchange, outcome);
        if (!made.isEmpty() && !export.offer(made)) {
            long now = System.nanoTime();
            long last = lastDropWarning.get();
            if (now - last >= WARN_EVERY_NANOS && lastDropWarning.compareAndSet(last, now)) {
                LOG.warn("Tracing filter {}: span queue full, {} spans dropped so far", name, export.dropped());
            }
        }
    }

    @Override
    public Optional<String> status() {
        return Optional.of("spans: " + export.exported() + " exported, " + export.dropped() + " dropped (queue full), "
                + export.failed() + " failed, " + export.waiting() + " queued");
    }

    /** Exports what is queued (at most 5 seconds) and stops the exporter. */
    @Override
    public void close() {
        export.close();
    }

    /** @return the export, for tests */
    SpanExport export() {
        return export;
    }
}
