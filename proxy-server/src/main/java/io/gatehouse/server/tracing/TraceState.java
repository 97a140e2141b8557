package io.gatehouse.server.tracing;

/**
 * Bounds the {@code tracestate} passed on with a continued trace: the request's field lines
 * joined with {@code ,}, kept only when it has at most {@value #MAX_MEMBERS} list members and
 * {@value #MAX_LENGTH} characters and every member is {@code key=value} of printable ASCII
 * (W3C Trace Context level 1, §3.3); otherwise it is dropped whole, never cut, so no vendor's
 * entry is passed on half.
 */
public final class TraceState {

    /** The most list members passed on. */
    public static final int MAX_MEMBERS = 32;
    /** The longest value passed on, in characters. */
    public static final int MAX_LENGTH = 512;

    private TraceState() {
    }

    /**
     * @param lines the request's {@code tracestate} field values, in order
     * @return the value to pass on, empty when there is none or it was dropped
     */
    public static String bound(String[] lines) {
        if (lines.length == 0) {
            return "";
        }
        String joined = lines.length == 1 ? lines[0] : String.join(",", lines);
        if (joined.length() > MAX_LENGTH * 2) { // spaces around members are allowed, but not without end
            return "";
        }
        StringBuilder kept = new StringBuilder(joined.length());
        int members = 0;
        int from = 0;
        while (from <= joined.length()) {
            int comma = joined.indexOf(',', from);
            int to = comma < 0 ? joined.length() : comma;
            int start = from;
            int end = to;
            while (start < end && isSpace(joined.charAt(start))) {
                start++;
            }
            while (end > start && isSpace(joined.charAt(end - 1))) {
                end--;
            }
            if (start < end) { // empty members are allowed and skipped
                if (!validMember(joined, start, end) || ++members > MAX_MEMBERS) {
                    return "";
                }
                if (kept.length() > 0) {
                    kept.append(',');
                }
                kept.append(joined, start, end);
            }
            from = to + 1;
        }
        return kept.length() > MAX_LENGTH ? "" : kept.toString();
    }

    /** {@code key=value}: a key of lowercase letters, digits, {@code _-*\/@}, a value of printable ASCII but {@code ,} and {@code =}. */
    private static boolean validMember(String s, int start, int end) {
        int equals = s.indexOf('=', start);
        if (equals <= start || equals >= end - 1 || equals - start > 256) {
            return false;
        }
        for (int i = start; i < equals; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '*' || c == '/' || c == '@')) {
                return false;
            }
        }
        for (int i = equals + 1; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return s.charAt(end - 1) != ' ';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
