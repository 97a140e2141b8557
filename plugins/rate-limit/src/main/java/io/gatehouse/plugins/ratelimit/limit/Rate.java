package io.gatehouse.plugins.ratelimit.limit;

import java.time.Duration;
import java.util.Locale;

/**
 * A number of requests per period, written {@code 100/s}, {@code 6000/min}, {@code 5000/h},
 * {@code 20/d} or with a period length, {@code 10/15s}, {@code 1/500ms}. Immutable.
 *
 * @param count the requests allowed per period, at least 1
 * @param period the period, from 1 ms to 1 day
 */
public record Rate(long count, Duration period) {

    /** The largest count accepted. */
    public static final long MAX_COUNT = 1_000_000_000L;
    private static final Duration MAX_PERIOD = Duration.ofDays(1);

    public Rate {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the count must be between 1 and " + MAX_COUNT + ", got " + count);
        }
        if (period.compareTo(Duration.ofMillis(1)) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("the period must be between 1ms and 1d, got " + period);
        }
    }

    /**
     * @param text such as {@code 100/s}
     * @return the rate
     * @throws IllegalArgumentException with a message fit for a config error
     */
    public static Rate parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1) {
            throw new IllegalArgumentException(expected(text));
        }
        long count;
        try {
            count = Long.parseLong(t.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected(text));
        }
        String per = t.substring(slash + 1).trim();
        int digits = 0;
        while (digits < per.length() && Character.isDigit(per.charAt(digits))) {
            digits++;
        }
        long times = 1;
        if (digits > 0) {
            if (digits > 9) {
                throw new IllegalArgumentException(expected(text));
            }
            times = Long.parseLong(per.substring(0, digits));
        }
        Duration unit = unit(per.substring(digits).trim());
        if (unit == null || times < 1) {
            throw new IllegalArgumentException(expected(text));
        }
        return new Rate(count, unit.multipliedBy(times));
    }

    private static Duration unit(String name) {
        return switch (name) {
            case "ms" -> Duration.ofMillis(1);
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "m", "min", "minute" -> Duration.ofMinutes(1);
            case "h", "hour" -> Duration.ofHours(1);
            case "d", "day" -> Duration.ofDays(1);
            default -> null;
        };
    }

    private static String expected(String text) {
        return "expected a rate such as 100/s, 6000/min, 5000/h or 10/15s, got \"" + text + "\"";
    }

    /** @return the period in nanoseconds */
    public long periodNanos() {
        return period.toNanos();
    }

    /** @return the time one request's share of the period takes to come back, in nanoseconds (rounded down) */
    public long emissionNanos() {
        return Math.max(1, periodNanos() / count);
    }

    /** @return as configured, e.g. {@code 100/1s} */
    @Override
    public String toString() {
        return count + "/" + text(period);
    }

    private static String text(Duration d) {
        if (d.toMillis() % 86_400_000 == 0) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
