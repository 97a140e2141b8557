package io.gatehouse.api.http;

import io.gatehouse.api.HttpFields;

import java.util.Objects;
import java.util.Optional;

/**
 * Reads cookies from a request's {@code Cookie} fields (RFC 6265 §4.2.1: {@code a=1; b=2}).
 * Several {@code Cookie} fields (as HTTP/2 clients may send) are read in order; names are
 * case-sensitive; a value in double quotes is returned without them; pairs without {@code =}
 * are skipped.
 *
 * <pre>{@code
 * Optional<String> session = Cookies.get(exchange.request().headers(), "session");
 * }</pre>
 *
 * @since 0.2
 */
public final class Cookies {

    private Cookies() {
    }

    /**
     * The value of the first cookie called {@code name}.
     *
     * @param headers request fields
     * @param name the cookie's name
     * @return its value (possibly empty), or empty when there is no such cookie
     */
    public static Optional<String> get(HttpFields headers, String name) {
        Objects.requireNonNull(name, "name");
        for (String header : headers.all("Cookie")) {
            Optional<String> value = find(header, name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> find(String header, String name) {
        int length = header.length();
        int start = 0;
        while (start < length) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            int eq = header.indexOf('=', start);
            if (eq >= 0 && eq < end) {
                int nameStart = skipSpace(header, start, eq);
                int nameEnd = trimSpace(header, nameStart, eq);
                if (nameEnd - nameStart == name.length() && header.regionMatches(nameStart, name, 0, name.length())) {
                    int valueStart = skipSpace(header, eq + 1, end);
                    int valueEnd = trimSpace(header, valueStart, end);
                    if (valueEnd - valueStart >= 2 && header.charAt(valueStart) == '"' && header.charAt(valueEnd - 1) == '"') {
                        valueStart++;
                        valueEnd--;
                    }
                    return Optional.of(header.substring(valueStart, valueEnd));
                }
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private static int skipSpace(String text, int from, int to) {
        int i = from;
        while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int trimSpace(String text, int from, int to) {
        int i = to;
        while (i > from && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
            i--;
        }
        return i;
    }
}
