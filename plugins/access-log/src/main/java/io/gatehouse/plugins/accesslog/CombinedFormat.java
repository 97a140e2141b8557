package io.gatehouse.plugins.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code combined} format of Apache and nginx, followed by the request id in quotes:
 * {@code client - consumer [time] "METHOD target PROTOCOL" status bytes "referer" "user-agent" "request-id"}.
 * The user is the consumer ({@code Keys.CONSUMER}); bytes are the response body bytes,
 * {@code -} for none; the status is 0 when no response was sent (a client that left first).
 */
final class CombinedFormat implements LineFormat {

    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private final DateTimeFormatter time;
    private volatile CachedSecond cached = new CachedSecond(Long.MIN_VALUE, "");

    /** @param zone the zone of the timestamps */
    CombinedFormat(ZoneId zone) {
        this.time = CLF.withZone(zone);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder line = new StringBuilder(160);
        line.append(r.client()).append(" - ");
        quotedOrDash(line, r.consumer().orElse(null), false);
        line.append(" [").append(second(r.startMillis() / 1000)).append("] \"");
        LineFormat.appendEscaped(line, r.method());
        line.append(' ');
        LineFormat.appendEscaped(line, r.target());
        line.append(' ').append(r.protocol()).append("\" ").append(r.outcome().status()).append(' ');
        long bytes = r.outcome().responseBodyBytes();
        if (bytes > 0) {
            line.append(bytes);
        } else {
            line.append('-');
        }
        line.append(' ');
        quotedOrDash(line, r.referer().orElse(null), true);
        line.append(' ');
        quotedOrDash(line, r.userAgent().orElse(null), true);
        line.append(' ');
        quotedOrDash(line, r.requestId().orElse(null), true);
        return line.toString();
    }

    private static void quotedOrDash(StringBuilder line, String value, boolean quoted) {
        if (quoted) {
            line.append('"');
        }
        if (value == null || value.isEmpty()) {
            line.append('-');
        } else if (quoted) {
            LineFormat.appendEscaped(line, value);
        } else {
            for (int i = 0; i < value.length(); i++) { // an unquoted field must not hold a space either
                char c = value.charAt(i);
                line.append(c <= 0x20 || c == 0x7f || c == '"' ? '_' : c);
            }
        }
        if (quoted) {
            line.append('"');
        }
    }

    /** The timestamp text of one second, formatted once per second rather than once per line. */
    private String second(long epochSecond) {
        CachedSecond current = cached;
        if (current.epochSecond != epochSecond) {
            current = new CachedSecond(epochSecond, time.format(Instant.ofEpochSecond(epochSecond)));
            cached = current;
        }
        return current.text;
    }

    private record CachedSecond(long epochSecond, String text) {
    }
}
