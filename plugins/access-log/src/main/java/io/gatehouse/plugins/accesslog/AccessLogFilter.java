package io.gatehouse.plugins.accesslog;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The {@code access-log} filter: in {@code onComplete}, on the thread that ran it, formats one
 * line and queues it for its {@link AsyncLineWriter}, without blocking. Thread-safe.
 */
final class AccessLogFilter implements ProxyFilter {

    private final LineFormat format;
    private final Redaction redaction;
    private final Clock clock;
    private final AsyncLineWriter writer;

    /**
     * @param format how lines look
     * @param redaction what lines must not show
     * @param clock the wall clock
     * @param writer the started writer, closed with the filter
     */
    AccessLogFilter(LineFormat format, Redaction redaction, Clock clock, AsyncLineWriter writer) {
        this.format = format;
        this.redaction = redaction;
        this.clock = clock;
        this.writer = writer;
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        return FilterResult.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, Outcome outcome) {
        writer.offer(format.format(LogRecord.of(exchange, outcome, clock.millis(), redaction)));
    }

    @Override
    public Optional<String> status() {
        return Optional.of(writer.status());
    }

    /** @return the writer, for tests */
    AsyncLineWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        writer.close();
    }
}
