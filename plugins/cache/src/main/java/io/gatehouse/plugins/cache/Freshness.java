package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Freshness and age of a stored response for a shared cache, as RFC 9111 §4.2 computes them.
 * Times are whole seconds (epoch seconds), as HTTP dates are.
 */
final class Freshness {

    /** Statuses a cache may give a heuristic freshness lifetime (RFC 9110 §15.1). */
    static final Set<Integer> HEURISTICALLY_CACHEABLE = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

    private Freshness() {
    }

    /**
     * The freshness lifetime (§4.2.1): {@code s-maxage}, else {@code max-age}, else
     * {@code Expires - Date}, else a heuristic share of the time since {@code Last-Modified}
     * (§4.2.2) when the status allows one or the response is {@code public}.
     *
     * @param status the response status
     * @param headers the response headers
     * @param directives the directives this cache obeys (targeted field or Cache-Control)
     * @param responseTime when the response arrived, epoch seconds
     * @param heuristicPercent share of the Last-Modified age used heuristically (0: none)
     * @param heuristicMax upper bound of a heuristic lifetime
     * @return the lifetime in seconds
     */
    static long lifetime(int status, HttpFields headers, Directives directives, long responseTime, double heuristicPercent,
                         Duration heuristicMax) {
        OptionalLong sMaxAge = directives.seconds("s-maxage");
        if (sMaxAge.isPresent()) {
            return sMaxAge.getAsLong();
        }
        OptionalLong maxAge = directives.seconds("max-age");
        if (maxAge.isPresent()) {
            return maxAge.getAsLong();
        }
        if (headers.contains("Expires")) {
            Optional<Long> expires = date(headers.first("Expires").orElse(""));
            if (expires.isEmpty()) {
                return 0; // an invalid Expires means already expired (§5.3)
            }
            long date = headers.first("Date").flatMap(Freshness::date).orElse(responseTime);
            return Math.max(0, expires.get() - date);
        }
        if (heuristicPercent > 0 && (HEURISTICALLY_CACHEABLE.contains(status) || directives.has("public"))) {
            Optional<Long> lastModified = headers.first("Last-Modified").flatMap(Freshness::date);
            if (lastModified.isPresent()) {
                long date = headers.first("Date").flatMap(Freshness::date).orElse(responseTime);
                long heuristic = (long) (Math.max(0, date - lastModified.get()) * heuristicPercent / 100);
                return Math.min(heuristic, heuristicMax.toSeconds());
            }
        }
        return 0;
    }

    /**
     * The age when the response was received (§4.2.3: {@code corrected_initial_age}).
     *
     * @param headers the response headers
     * @param requestTime when the request was sent, epoch seconds
     * @param responseTime when the response arrived, epoch seconds
     * @return the age in seconds at {@code responseTime}
     */
    static long initialAge(HttpFields headers, long requestTime, long responseTime) {
        long ageValue = headers.first("Age").map(Freshness::deltaSeconds).orElse(0L);
        long dateValue = headers.first("Date").flatMap(Freshness::date).orElse(responseTime);
        long apparentAge = Math.max(0, responseTime - dateValue);
        long responseDelay = Math.max(0, responseTime - requestTime);
        long correctedAgeValue = ageValue + responseDelay;
        return Math.max(apparentAge, correctedAgeValue);
    }

    private static long deltaSeconds(String value) {
        String v = value.trim();
        if (v.isEmpty() || !v.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * @param value an HTTP date (IMF-fixdate; the obsolete RFC 850 and asctime forms too)
     * @return epoch seconds, or empty when it is not a date
     */
    static Optional<Long> date(String value) {
        String v = value.trim();
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond());
        } catch (DateTimeParseException e) {
            return obsoleteDate(v);
        }
    }

    /** RFC 850 dates with two-digit years (read as 1950–2049) and asctime dates (RFC 9110 §5.6.7). */
    private static final DateTimeFormatter[] OBSOLETE = {
            new java.time.format.DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 1950).appendPattern(" HH:mm:ss zzz")
                    .toFormatter(java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC)
    };

    private static Optional<Long> obsoleteDate(String v) {
        for (DateTimeFormatter format : OBSOLETE) {
            try {
                return Optional.of(ZonedDateTime.parse(v.replaceAll("\\s+", " "), format).toEpochSecond());
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    /** @return an IMF-fixdate for epoch seconds */
    static String format(long epochSeconds) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds));
    }
}
