package io.gatehouse.server.listener;

/** Bytes (ISO-8859-1 text) shown with every control and non-ASCII byte escaped, for failure reports. */
final class Printable {

    private static final int MAX = 4096;

    private Printable() {
    }

    static String of(String bytes) {
        StringBuilder shown = new StringBuilder(bytes.length() + 32);
        for (int i = 0; i < bytes.length() && shown.length() < MAX; i++) {
            char c = bytes.charAt(i);
            switch (c) {
                case '\r':
                    shown.append("\\r");
                    break;
                case '\n':
                    shown.append("\\n\n");
                    break;
                case '\t':
                    shown.append("\\t");
                    break;
                case '\\':
                    shown.append("\\\\");
                    break;
                default:
                    if (c < 0x20 || c >= 0x7f) {
                        shown.append(String.format("\\x%02x", (int) c));
                    } else {
                        shown.append(c);
                    }
            }
        }
        if (shown.length() >= MAX) {
            shown.append("... (").append(bytes.length()).append(" bytes)");
        }
        return shown.toString();
    }

    /** @return the bytes as a Java string literal, to paste into a regression test */
    static String javaLiteral(String bytes) {
        StringBuilder literal = new StringBuilder("\"");
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            if (c == '\r') {
                literal.append("\\r");
            } else if (c == '\n') {
                literal.append("\\n");
            } else if (c == '"' || c == '\\') {
                literal.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                literal.append(String.format("\\u%04x", (int) c));
            } else {
                literal.append(c);
            }
        }
        return literal.append('"').toString();
    }
}
