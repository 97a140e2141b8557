package io.gatehouse.api.internal;

import io.gatehouse.api.annotation.Internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration and size notations of Gatehouse configuration: durations like
 * {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}; sizes like {@code 512B}, {@code 8KiB},
 * {@code 64MiB}, {@code 2GiB} (also {@code KB/MB/GB}, read as powers of 1000).
 *
 * <p>Not part of the API (see {@link Internal}): public only because other packages of this module and the
 * server use it.
 *
 * @since 0.1, in {@code io.gatehouse.api} until 0.2
 */
@Internal
public final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|K|M|G)?");

    private Units() {
    }

    /**
     * Parses a duration.
     *
     * @param text e.g. {@code 500ms}
     * @return the duration
     * @throws IllegalArgumentException with a message saying what is expected
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 2s, 1m, got \"" + text + "\"");
        }
        long amount = parseAmount(m.group(1), text);
        try {
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(amount);
                case "s": return Duration.ofSeconds(amount);
                case "m": return Duration.ofMinutes(amount);
                case "h": return Duration.ofHours(amount);
                default: return Duration.ofDays(amount);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too large: \"" + text + "\"");
        }
    }

    /**
     * Parses a size in bytes; a bare number means bytes.
     *
     * @param text e.g. {@code 8KiB}
     * @return the number of bytes
     * @throws IllegalArgumentException with a message saying what is expected
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 512B, 8KiB, 64MiB, 2GiB, got \"" + text + "\"");
        }
        long amount = parseAmount(m.group(1), text);
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor;
        switch (unit.toUpperCase(Locale.ROOT)) {
            case "B": factor = 1; break;
            case "KIB": case "K": factor = 1L << 10; break;
            case "MIB": case "M": factor = 1L << 20; break;
            case "GIB": case "G": factor = 1L << 30; break;
            case "KB": factor = 1_000; break;
            case "MB": factor = 1_000_000; break;
            default: factor = 1_000_000_000; break;
        }
        try {
            return Math.multiplyExact(amount, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: \"" + text + "\"");
        }
    }

    private static long parseAmount(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number too large: \"" + text + "\"");
        }
    }
}
