package io.gatehouse.plugins.accesslog;

import io.gatehouse.api.HttpFields;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the log must not show: the values of named query parameters and header fields are
 * replaced by {@value #REDACTED}. Names compare case-insensitively. Immutable.
 *
 * @param queryParameters the parameter names, lower case
 * @param headers the field names, lower case
 */
record Redaction(Set<String> queryParameters, Set<String> headers) {

    /** What a hidden value reads as. */
    static final String REDACTED = "REDACTED";

    /** Nothing hidden. */
    static final Redaction NONE = new Redaction(Set.of(), Set.of());

    /** Lower-cases and copies the names. */
    Redaction {
        queryParameters = lower(queryParameters);
        headers = lower(headers);
    }

    private static Set<String> lower(Set<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param query a query without its {@code ?}
     * @return the query with the value of every named parameter replaced
     */
    String query(String query) {
        if (queryParameters.isEmpty()) {
            return query;
        }
        StringBuilder out = null;
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            int eq = query.indexOf('=', start);
            int nameEnd = eq < 0 || eq > end ? end : eq;
            if (queryParameters.contains(query.substring(start, nameEnd).toLowerCase(Locale.ROOT))) {
                if (out == null) {
                    out = new StringBuilder(query.length()).append(query, 0, start);
                }
                out.append(query, start, nameEnd).append('=').append(REDACTED);
            } else if (out != null) {
                out.append(query, start, end);
            }
            if (amp < 0) {
                break;
            }
            if (out != null) {
                out.append('&');
            }
            start = amp + 1;
        }
        return out == null ? query : out.toString();
    }

    /**
     * @param fields a message's fields
     * @param name a field name
     * @return its values joined by {@code ", "}, {@value #REDACTED} when the field is hidden, empty when absent
     */
    Optional<String> header(HttpFields fields, String name) {
        java.util.List<String> values = fields.all(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (headers.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of(REDACTED);
        }
        return Optional.of(values.size() == 1 ? values.get(0) : String.join(", ", values));
    }
}
