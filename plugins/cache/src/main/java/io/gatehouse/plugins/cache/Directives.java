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

    /** Directives whose value is delta-seconds: a non-negative Integer in a targeted field. */
    private static final java.util.Set<String> SECONDS = java.util.Set.of("max-age", "s-maxage", "stale-while-revalidate",
            "stale-if-error");
    /** Directives that may name fields: kept with a String value (stricter, never less). */
    private static final java.util.Set<String> FIELD_NAMES = java.util.Set.of("private", "no-cache");

    /**
     * The directives of a targeted field (RFC 9213 §2.1), a Structured Field dictionary: a member
     * of the wrong type is ignored (a delta-seconds directive must be a non-negative Integer, any
     * other known directive the Boolean true; {@code private} and {@code no-cache} may also name
     * fields in a String); a false Boolean is absent; unknown members are kept, meaning nothing.
     *
     * @return the directives, empty when the field is not a valid dictionary (then it is ignored)
     */
    static Optional<Directives> parseTargeted(List<String> fieldValues) {
        return StructuredDictionary.parse(fieldValues).map(members -> {
            Map<String, Optional<String>> values = new LinkedHashMap<>();
            members.forEach((name, item) -> {
                StructuredDictionary.Type type = item.type();
                if (SECONDS.contains(name)) {
                    if (type == StructuredDictionary.Type.INTEGER && !item.value().startsWith("-")) {
                        values.put(name, Optional.of(item.value()));
                    }
                } else if (FIELD_NAMES.contains(name) && type == StructuredDictionary.Type.STRING) {
                    values.put(name, Optional.of(item.value()));
                } else if (type == StructuredDictionary.Type.TRUE) {
                    values.put(name, Optional.empty());
                } else if (type != StructuredDictionary.Type.FALSE && !KNOWN.contains(name)) {
                    values.put(name, Optional.of(item.value()));
                }
            });
            return new Directives(Collections.unmodifiableMap(values));
        });
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("max-age", "s-maxage", "stale-while-revalidate", "stale-if-error",
            "no-store", "no-cache", "private", "public", "must-revalidate", "proxy-revalidate", "must-understand", "no-transform",
            "immutable");

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
