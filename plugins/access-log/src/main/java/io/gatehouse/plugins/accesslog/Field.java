package io.gatehouse.plugins.accesslog;

import io.gatehouse.api.Outcome;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fields of a log line, with the stable names that the {@code json} format writes and a
 * {@code pattern} refers to ({@code ${status}}). Documented in {@code docs/observability.md};
 * names are never changed or reused, new fields are added at the end.
 */
enum Field {
    TIME("time", false, r -> Optional.of(Times.ISO.format(Instant.ofEpochMilli(r.startMillis())))),
    ID("id", false, LogRecord::requestId),
    EXCHANGE("exchange", false, r -> Optional.of(r.exchangeId())),
    CLIENT("client", false, r -> Optional.of(r.client())),
    METHOD("method", false, r -> Optional.of(r.method())),
    HOST("host", false, r -> Optional.of(r.host())),
    PATH("path", false, r -> Optional.of(r.path())),
    QUERY("query", false, LogRecord::query),
    PROTOCOL("protocol", false, r -> Optional.of(r.protocol())),
    STATUS("status", true, r -> Optional.of(Integer.toString(r.outcome().status()))),
    BYTES_IN("bytes_in", true, r -> Optional.of(Long.toString(r.outcome().requestBodyBytes()))),
    BYTES_OUT("bytes_out", true, r -> Optional.of(Long.toString(r.outcome().responseBodyBytes()))),
    DURATION_MS("duration_ms", true, r -> Optional.of(millis(r.outcome().durationNanos()))),
    UPSTREAM("upstream", false, LogRecord::upstream),
    /** Not available yet: the API's {@code Outcome} has no per-attempt timing. Always absent. */
    UPSTREAM_TIME_MS("upstream_time_ms", true, r -> r.outcome().upstreamTime().map(t -> millis(t.toNanos()))),
    ATTEMPTS("attempts", true, r -> Optional.of(Integer.toString(r.outcome().attempts()))),
    ROUTE("route", false, r -> r.outcome().route()),
    CLUSTER("cluster", false, r -> r.outcome().cluster()),
    CACHE_STATUS("cache_status", false, LogRecord::cacheStatus),
    CANARY_SIDE("canary_side", false, LogRecord::canarySide),
    CONSUMER("consumer", false, LogRecord::consumer),
    USER_AGENT("user_agent", false, LogRecord::userAgent),
    REFERER("referer", false, LogRecord::referer),
    TRACE_ID("trace_id", false, LogRecord::traceId),
    OUTCOME("outcome", false, r -> Optional.of(r.outcome().kind() == Outcome.Kind.COMPLETED ? "completed" : "aborted")),
    DETAIL("detail", false, r -> r.outcome().detail());

    private static final Field[] ALL = values();

    private final String jsonName;
    private final boolean numeric;
    private final Function<LogRecord, Optional<String>> value;

    Field(String jsonName, boolean numeric, Function<LogRecord, Optional<String>> value) {
        this.jsonName = jsonName;
        this.numeric = numeric;
        this.value = value;
    }

    /** @return the field's stable name */
    String jsonName() {
        return jsonName;
    }

    /** @return whether JSON writes it as a number */
    boolean numeric() {
        return numeric;
    }

    /**
     * @param record an exchange's record
     * @return the field's text, empty when not known
     */
    Optional<String> value(LogRecord record) {
        return value.apply(record);
    }

    /**
     * @param name a stable name
     * @return the field, if there is one by that name
     */
    static Optional<Field> named(String name) {
        for (Field field : ALL) {
            if (field.jsonName.equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /** @return every field, in the order the JSON format writes them */
    static Field[] all() {
        return ALL.clone();
    }

    /** Milliseconds with three decimals, without floating point: {@code 12.345}. */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        long fraction = micros % 1000;
        return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    /** The formatter of {@code time}. */
    static final class Times {
        static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
                .withZone(ZoneOffset.UTC);

        private Times() {
        }
    }
}
