package io.gatehouse.plugins.cache;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * HTTP dates, read exactly as RFC 9110 §5.6.7 writes them, and nothing else: IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994}).
 * Names are case-sensitive, every number has its fixed width, the zone is {@code GMT}. A weekday
 * that does not match the date is tolerated (the date wins).
 */
final class HttpDate {

    private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    private HttpDate() {
    }

    /**
     * @param value a field value
     * @param now epoch seconds now, for the two-digit years of RFC 850 dates
     * @return epoch seconds, empty when {@code value} is not exactly one of the three forms
     */
    static Optional<Long> parse(String value, long now) {
        int comma = value.indexOf(',');
        if (comma == 3) {
            return imfFixdate(value);
        }
        if (comma > 3) {
            return rfc850(value, comma, now);
        }
        return asctime(value);
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    private static Optional<Long> imfFixdate(String v) {
        if (v.length() != 29 || !DAYS.contains(v.substring(0, 3)) || !v.startsWith(", ", 3) || v.charAt(7) != ' ' || v.charAt(11) != ' '
                || v.charAt(16) != ' ' || !v.endsWith(" GMT")) {
            return Optional.empty();
        }
        return of(number(v, 12, 4), MONTHS.indexOf(v.substring(8, 11)), number(v, 5, 2), time(v, 17));
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT} */
    private static Optional<Long> rfc850(String v, int comma, long now) {
        int d = comma + 2; // the day
        if (!LONG_DAYS.contains(v.substring(0, comma)) || v.length() != d + 22 || v.charAt(comma + 1) != ' ' || v.charAt(d + 2) != '-'
                || v.charAt(d + 6) != '-' || v.charAt(d + 9) != ' ' || !v.endsWith(" GMT")) {
            return Optional.empty();
        }
        int twoDigits = number(v, d + 7, 2);
        if (twoDigits < 0) {
            return Optional.empty();
        }
        // More than 50 years in the future means the most recent past year with those digits (§5.6.7).
        int thisYear = LocalDate.ofEpochDay(Math.floorDiv(now, 86400)).getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
        if (year > thisYear + 50) {
            year -= 100;
        } else if (year < thisYear - 49) {
            year += 100;
        }
        return of(year, MONTHS.indexOf(v.substring(d + 3, d + 6)), number(v, d, 2), time(v, d + 10));
    }

    /** {@code Sun Nov  6 08:49:37 1994} */
    private static Optional<Long> asctime(String v) {
        if (v.length() != 24 || !DAYS.contains(v.substring(0, 3)) || v.charAt(3) != ' ' || v.charAt(7) != ' ' || v.charAt(10) != ' '
                || v.charAt(19) != ' ') {
            return Optional.empty();
        }
        int day = v.charAt(8) == ' ' ? number(v, 9, 1) : number(v, 8, 2);
        return of(number(v, 20, 4), MONTHS.indexOf(v.substring(4, 7)), day, time(v, 11));
    }

    /** @return seconds of the day of {@code HH:MM:SS} at {@code at}, -1 when it is not one (a leap second 60 is allowed) */
    private static long time(String v, int at) {
        if (v.charAt(at + 2) != ':' || v.charAt(at + 5) != ':') {
            return -1;
        }
        int hour = number(v, at, 2);
        int minute = number(v, at + 3, 2);
        int second = number(v, at + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        return hour * 3600L + minute * 60L + second;
    }

    /** @return the decimal number of exactly {@code digits} ASCII digits at {@code at}, -1 when there is none */
    private static int number(String v, int at, int digits) {
        int n = 0;
        for (int i = at; i < at + digits; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static Optional<Long> of(int year, int month, int day, long secondOfDay) {
        if (year < 0 || month < 0 || day < 1 || secondOfDay < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(year, month + 1, day).atStartOfDay(ZoneOffset.UTC).toEpochSecond() + secondOfDay);
        } catch (DateTimeException e) { // 31 Feb
            return Optional.empty();
        }
    }
}
