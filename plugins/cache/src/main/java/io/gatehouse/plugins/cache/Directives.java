package io.gatehouse.plugins.cache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The directives of a {@code Cache-Control}-style field (RFC 9111 §5.2; also
 * {@code CDN-Cache-Control} and other targeted fields, RFC 9213): names are case-insensitive,
 * values may be tokens or quoted strings, a field may be sent on several lines. Unknown
 * directives are kept but mean nothing; a malformed delta-seconds value makes its directive
 * count as absent, except where RFC 9111 says otherwise.
 */
final class Directives {

    static final Directives NONE = new Directives(Map.of());

    private final Map<String, Optional<String>> values;

    private Directives(Map<String, Optional<String>> values) {
        this.values = values;
    }

    /**
     * @param fieldValues every value of the field, in order
     * @return the directives; the first occurrence of a repeated directive wins
     */
    static Directives parse(List<String> fieldValues) {
        if (fieldValues.isEmpty()) {
            return NONE;
        }
        Map<String, Optional<String>> values = new LinkedHashMap<>();
        for (String field : fieldValues) {
            int i = 0;
            int n = field.length();
            while (i < n) {
                while (i < n && (field.charAt(i) == ',' || field.charAt(i) == ' ' || field.charAt(i) == '\t')) {
                    i++;
                }
                int start = i;
                while (i < n && field.charAt(i) != '=' && field.charAt(i) != ',') {
                    i++;
                }
                String name = field.substring(start, i).trim().toLowerCase(Locale.ROOT);
                Optional<String> value = Optional.empty();
                if (i < n && field.charAt(i) == '=') {
                    i++;
                    if (i < n && field.charAt(i) == '"') {
                        StringBuilder quoted = new StringBuilder();
                        i++;
                        while (i < n && field.charAt(i) != '"') {
                            if (field.charAt(i) == '\\' && i + 1 < n) {
                                i++;
                            }
                            quoted.append(field.charAt(i++));
                        }
                        i++; // closing quote
                        while (i < n && field.charAt(i) != ',') {
                            i++;
                        }
                        value = Optional.of(quoted.toString());
                    } else {
                        int vstart = i;
                        while (i < n && field.charAt(i) != ',') {
                            i++;
                        }
                        value = Optional.of(field.substring(vstart, i).trim());
                    }
                }
                if (!name.isEmpty()) {
                    values.putIfAbsent(name, value);
                }
            }
        }
        return new Directives(Collections.unmodifiableMap(values));
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @return the directive's delta-seconds value; empty when absent or not a non-negative number
     *     (values too large to represent count as a very long time, RFC 9111 §1.2.2)
     */
    OptionalLong seconds(String name) {
        Optional<String> value = values.getOrDefault(name, Optional.empty());
        if (value.isEmpty() || value.get().isEmpty() || !value.get().chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(Integer.MAX_VALUE);
        }
    }

    /** @return the field names a qualified {@code no-cache="a, b"} or {@code private="a"} lists, empty when unqualified */
    List<String> fieldNames(String name) {
        Optional<String> value = values.getOrDefault(name, Optional.empty());
        if (value.isEmpty()) {
            return List.of();
        }
        return List.of(value.get().split("\\s*,\\s*"));
    }

    /** @return bytes these directives hold, roughly: names, values and the map's nodes */
    long weight() {
        long weight = 0;
        for (Map.Entry<String, Optional<String>> directive : values.entrySet()) {
            weight += 4L * Entry.OVERHEAD + directive.getKey().length() + directive.getValue().map(String::length).orElse(0);
        }
        return weight;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
