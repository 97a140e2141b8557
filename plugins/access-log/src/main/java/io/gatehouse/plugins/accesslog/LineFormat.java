package io.gatehouse.plugins.accesslog;

/**
 * Turns a record into one log line (without the line end). Implementations are immutable and
 * cheap: they run on the exchange's I/O thread, in {@code onComplete}.
 */
interface LineFormat {

    /**
     * @param record the exchange's record
     * @return the line, with no CR or LF in it
     */
    String format(LogRecord record);

    /**
     * Appends {@code value} so that it cannot break the line or its quoting: {@code "} and
     * {@code \} are escaped with a backslash, control characters and DEL as {@code \xHH}, as
     * Apache's and nginx's logs do.
     *
     * @param out where to append
     * @param value the value
     */
    static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
    }
}
