package io.gatehouse.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Read access over alternating names and values: the one lookup implementation shared by the
 * mutable {@link FieldList} and the immutable {@link FrozenFields}.
 */
abstract class FieldEntries implements HttpFields {

    /** Alternating names and values. */
    abstract List<String> entries();

    @Override
    public Optional<String> first(String name) {
        List<String> entries = entries();
        for (int i = 0; i < entries.size(); i += 2) {
            if (entries.get(i).equalsIgnoreCase(name)) {
                return Optional.of(entries.get(i + 1));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> all(String name) {
        List<String> entries = entries();
        List<String> values = null;
        for (int i = 0; i < entries.size(); i += 2) {
            if (entries.get(i).equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(entries.get(i + 1));
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    @Override
    public void forEach(BiConsumer<String, String> action) {
        List<String> entries = entries();
        for (int i = 0; i < entries.size(); i += 2) {
            action.accept(entries.get(i), entries.get(i + 1));
        }
    }

    @Override
    public int size() {
        return entries().size() / 2;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        forEach((name, value) -> text.append(text.length() > 1 ? ", " : "").append(name).append(": ").append(value));
        return text.append(']').toString();
    }

    static String requireToken(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!token) {
                throw new IllegalArgumentException("invalid character in field name: " + name);
            }
        }
        return name;
    }

    /**
     * Refuses CR, LF and NUL in a field value (RFC 9110 §5.5).
     *
     * @param value the value
     * @return the value
     */
    static String requireValue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("null field value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("CR, LF or NUL in field value");
            }
        }
        return value;
    }
}
