package io.gatehouse.server.tracing;

import java.util.Optional;

/**
 * A {@code traceparent} value parsed strictly by W3C Trace Context level 1: {@code
 * version-traceid-parentid-flags} in lowercase hex. Version {@code 00} must be exactly 55
 * characters; a higher version is read by its first 55 characters, which must be followed by
 * nothing or by {@code -} (later versions may append fields); version {@code ff}, all-zero ids,
 * uppercase or other characters make the value invalid. Only the {@code sampled} flag is kept.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param parentId 16 lowercase hex digits, not all zero
 * @param sampled the {@code sampled} flag (bit 0 of the flags)
 */
public record TraceParent(String traceId, String parentId, boolean sampled) {

    private static final int LENGTH = 55;

    /**
     * @param value a {@code traceparent} field value; surrounding spaces and tabs are ignored
     * @return the parsed value, or empty when it is not valid
     */
    public static Optional<TraceParent> parse(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        if (end - start < LENGTH) {
            return Optional.empty();
        }
        int version = hexByte(value, start);
        if (version < 0 || version == 0xff) {
            return Optional.empty();
        }
        if (version == 0 ? end - start != LENGTH : end - start > LENGTH && value.charAt(start + LENGTH) != '-') {
            return Optional.empty();
        }
        if (value.charAt(start + 2) != '-' || value.charAt(start + 35) != '-' || value.charAt(start + 52) != '-') {
            return Optional.empty();
        }
        int flags = hexByte(value, start + 53);
        if (flags < 0 || !isNonZeroHex(value, start + 3, 32) || !isNonZeroHex(value, start + 36, 16)) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(value.substring(start + 3, start + 35), value.substring(start + 36, start + 52),
                (flags & 1) != 0));
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** @return the value of two lowercase hex digits at {@code at}, or -1 */
    private static int hexByte(String value, int at) {
        int high = hexDigit(value.charAt(at));
        int low = hexDigit(value.charAt(at + 1));
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    private static boolean isNonZeroHex(String value, int from, int length) {
        boolean nonZero = false;
        for (int i = from; i < from + length; i++) {
            char c = value.charAt(i);
            if (hexDigit(c) < 0) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }
}
