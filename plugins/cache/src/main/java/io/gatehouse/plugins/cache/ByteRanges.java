package io.gatehouse.plugins.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code Range} request field (RFC 9110 §14.1.2) against a stored body of a known length: the
 * parts to send, none of them satisfiable, or a field to ignore (another unit, bad syntax, more
 * than {@value #MAX_PARTS} parts), which means the whole body.
 */
final class ByteRanges {

    /** More parts than this are not worth a multipart answer (and cost the proxy work): the whole body goes. */
    static final int MAX_PARTS = 16;

    /** What a {@code Range} field asks of a body. */
    sealed interface Ask permits Whole, Unsatisfiable, Parts {
    }

    /** Ignore the field: send the whole body (200). */
    record Whole() implements Ask {
    }

    /** No part lies within the body: 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable(long length) implements Ask {
    }

    /**
     * The parts to send, in the order asked.
     *
     * @param parts one or more
     * @param length the whole body's length
     */
    record Parts(List<Part> parts, long length) implements Ask {
        Parts {
            parts = List.copyOf(parts);
        }
    }

    /**
     * Bytes {@code first} to {@code last}, both included.
     *
     * @param first the first byte's offset
     * @param last the last byte's offset
     */
    record Part(long first, long last) {
        long size() {
            return last - first + 1;
        }

        String contentRange(long length) {
            return "bytes " + first + "-" + last + "/" + length;
        }
    }

    private ByteRanges() {
    }

    /**
     * @param field the {@code Range} value, such as {@code bytes=0-499, -100}
     * @param length the stored body's length
     * @return what the field asks
     */
    static Ask parse(String field, long length) {
        String value = field.trim();
        if (value.length() < 6 || !value.substring(0, 6).toLowerCase(Locale.ROOT).equals("bytes=")) {
            return new Whole();
        }
        List<Part> parts = new ArrayList<>();
        int specs = 0;
        for (String element : value.substring(6).split(",", -1)) {
            String spec = element.trim();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            }
            if (++specs > MAX_PARTS) {
                return new Whole();
            }
            int dash = spec.indexOf('-');
            if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
                return new Whole();
            }
            String from = spec.substring(0, dash);
            String to = spec.substring(dash + 1);
            if (from.isEmpty()) { // suffix: the last N bytes
                long suffix = digits(to);
                if (suffix < 0) {
                    return new Whole();
                }
                if (suffix > 0 && length > 0) {
                    parts.add(new Part(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long first = digits(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : digits(to);
            if (first < 0 || last < 0 || last < first) {
                return new Whole();
            }
            if (first < length) {
                parts.add(new Part(first, Math.min(last, length - 1)));
            }
        }
        if (specs == 0) {
            return new Whole();
        }
        return parts.isEmpty() ? new Unsatisfiable(length) : new Parts(parts, length);
    }

    /** @return the value of a non-empty run of at most 18 digits, or -1 */
    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
