package io.gatehouse.plugins.accesslog;

import java.util.Optional;

/**
 * The {@code json} format: one object per line with every {@link Field}, always in the same
 * order and under the same names; a value that is not known is {@code null}. Strings are
 * escaped per RFC 8259 (control characters as {@code \\u00XX}).
 */
final class JsonFormat implements LineFormat {

    private static final Field[] FIELDS = Field.all();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public String format(LogRecord r) {
        StringBuilder line = new StringBuilder(512).append('{');
        for (int i = 0; i < FIELDS.length; i++) {
            Field field = FIELDS[i];
            if (i > 0) {
                line.append(',');
            }
            line.append('"').append(field.jsonName()).append("\":");
            Optional<String> value = field.value(r);
            if (value.isEmpty()) {
                line.append("null");
            } else if (field.numeric()) {
                line.append(value.get());
            } else {
                string(line, value.get());
            }
        }
        return line.append('}').toString();
    }

    /**
     * @param out where to append
     * @param value a string, written as a JSON string
     */
    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
