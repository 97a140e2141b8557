package io.gatehouse.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Array-backed field list: the one implementation of {@link MutableHttpFields} in the API. */
final class FieldList implements MutableHttpFields {

    static final HttpFields EMPTY = new FieldList(List.of(), true);

    private final List<String> entries;
    private final boolean immutable;

    FieldList() {
        this(new ArrayList<>(), false);
    }

    private FieldList(List<String> entries, boolean immutable) {
        this.entries = entries;
        this.immutable = immutable;
    }

    @Override
    public Optional<String> first(String name) {
        for (int i = 0; i < entries.size(); i += 2) {
            if (entries.get(i).equalsIgnoreCase(name)) {
                return Optional.of(entries.get(i + 1));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> all(String name) {
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
        for (int i = 0; i < entries.size(); i += 2) {
            action.accept(entries.get(i), entries.get(i + 1));
        }
    }

    @Override
    public int size() {
        return entries.size() / 2;
    }

    @Override
    public void add(String name, String value) {
        checkMutable();
        requireToken(name);
        requireValue(value);
        entries.add(name);
        entries.add(value);
    }

    @Override
    public void set(String name, String value) {
        checkMutable();
        requireToken(name);
        requireValue(value);
        remove(name);
        add(name, value);
    }

    @Override
    public boolean remove(String name) {
        checkMutable();
        boolean removed = false;
        for (int i = entries.size() - 2; i >= 0; i -= 2) {
            if (entries.get(i).equalsIgnoreCase(name)) {
                entries.remove(i + 1);
                entries.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    @Override
    public HttpFields toImmutable() {
        return immutable ? this : new FieldList(List.copyOf(entries), true);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        forEach((name, value) -> text.append(text.length() > 1 ? ", " : "").append(name).append(": ").append(value));
        return text.append(']').toString();
    }

    private void checkMutable() {
        if (immutable) {
            throw new UnsupportedOperationException("immutable fields");
        }
    }

    /**
     * Checks a field name against the token grammar of RFC 9110 §5.1.
     *
     * @param name the name
     * @return the name
     */
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
