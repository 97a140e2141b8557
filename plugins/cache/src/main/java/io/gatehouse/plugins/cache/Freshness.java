package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
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
        List<String> expiresLines = headers.all("Expires");
        if (!expiresLines.isEmpty()) {
            Optional<Long> expires = expiresLines.size() == 1 ? date(expiresLines.get(0), responseTime) : Optional.empty();
            if (expires.isEmpty()) {
                return 0; // an invalid Expires, or several, means already expired (§5.3)
            }
            long date = headers.first("Date").flatMap(v -> date(v, responseTime)).orElse(responseTime);
            return Math.max(0, expires.get() - date);
        }
        if (heuristicPercent > 0 && (HEURISTICALLY_CACHEABLE.contains(status) || directives.has("public"))) {
            Optional<Long> lastModified = headers.first("Last-Modified").flatMap(v -> date(v, responseTime));
            if (lastModified.isPresent()) {
                long date = headers.first("Date").flatMap(v -> date(v, responseTime)).orElse(responseTime);
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
        long ageValue = headers.first("Age").map(Freshness::ageValue).orElse(0L);
        long dateValue = headers.first("Date").flatMap(v -> date(v, responseTime)).orElse(responseTime);
        long apparentAge = Math.max(0, responseTime - dateValue);
        long responseDelay = Math.max(0, responseTime - requestTime);
        long correctedAgeValue = ageValue + responseDelay;
        return Math.max(apparentAge, correctedAgeValue);
    }

    /** The largest age a cache passes on (RFC 9111 §1.2.2). */
    static final long MAX_AGE = 1L << 31;

    /**
     * @param value the first {@code Age} line
     * @return its first value when that is delta-seconds, capped at 2^31; 0 (ignored) when it is
     *     negative or not a number (§5.1)
     */
    private static long ageValue(String value) {
        int comma = value.indexOf(',');
        String v = (comma < 0 ? value : value.substring(0, comma)).trim();
        if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        if (v.length() > 10) {
            return MAX_AGE;
        }
        return Math.min(MAX_AGE, Long.parseLong(v));
    }

    /**
     * @param value an HTTP date ({@link HttpDate}), surrounding whitespace allowed
     * @param now epoch seconds now, for the two-digit years of RFC 850 dates
     * @return epoch seconds, or empty when it is not a date
     */
    static Optional<Long> date(String value, long now) {
        return HttpDate.parse(value.trim(), now);
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    /** @return an IMF-fixdate for epoch seconds */
    static String format(long epochSeconds) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds));
    }
}
