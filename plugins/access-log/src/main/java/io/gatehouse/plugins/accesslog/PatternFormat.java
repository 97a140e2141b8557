package io.gatehouse.plugins.accesslog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A user-defined line: literal text with placeholders, compiled once at start-up.
 * {@code ${name}} is a {@link Field} by its stable name, {@code ${req:Name}} and
 * {@code ${resp:Name}} a request or response header field (redacted when configured so),
 * {@code $$} a literal {@code $}. A value that is not known is written as {@code -}; values are
 * escaped as in {@link LineFormat#appendEscaped}, so a line stays one line.
 */
final class PatternFormat implements LineFormat {

    /** One piece of a compiled pattern. */
    private interface Part {
        void append(StringBuilder line, LogRecord record);
    }

    private final List<Part> parts;
    private final int sizeHint;

    private PatternFormat(List<Part> parts, int sizeHint) {
        this.parts = List.copyOf(parts);
        this.sizeHint = sizeHint;
    }

    /**
     * @param pattern the pattern
     * @param redaction the header fields to hide
     * @return the compiled format
     * @throws IllegalArgumentException naming what is wrong, for the config error
     */
    static PatternFormat compile(String pattern, Redaction redaction) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            int close = pattern.indexOf('}', i);
            if (i + 1 >= pattern.length() || pattern.charAt(i + 1) != '{' || close < 0) {
                throw new IllegalArgumentException("a $ must start ${name} or be written $$ (at character " + (i + 1) + ")");
            }
            if (literal.length() > 0) {
                String text = literal.toString();
                parts.add((line, record) -> line.append(text));
                literal.setLength(0);
            }
            parts.add(placeholder(pattern.substring(i + 2, close), redaction));
            i = close + 1;
        }
        if (literal.length() > 0) {
            String text = literal.toString();
            parts.add((line, record) -> line.append(text));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("the pattern is empty");
        }
        return new PatternFormat(parts, Math.max(64, pattern.length() * 2));
    }

    private static Part placeholder(String name, Redaction redaction) {
        if (name.startsWith("req:") || name.startsWith("resp:")) {
            boolean request = name.startsWith("req:");
            String header = name.substring(request ? 4 : 5);
            if (!header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("not a header name: ${" + name + "}");
            }
            return (line, record) -> appendValue(line,
                    redaction.header(request ? record.requestHeaders() : record.responseHeaders(), header));
        }
        Field field = Field.named(name).orElseThrow(() -> new IllegalArgumentException("unknown field ${" + name
                + "} (fields: " + String.join(", ", java.util.Arrays.stream(Field.all()).map(Field::jsonName).toList())
                + ", req:Header-Name, resp:Header-Name)"));
        return (line, record) -> appendValue(line, field.value(record));
    }

    private static void appendValue(StringBuilder line, Optional<String> value) {
        if (value.isEmpty() || value.get().isEmpty()) {
            line.append('-');
        } else {
            LineFormat.appendEscaped(line, value.get());
        }
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(sizeHint);
        for (Part part : parts) {
            part.append(line, record);
        }
        return line.toString();
    }
}
