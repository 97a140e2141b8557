package io.gatehouse.api;

import java.util.Objects;

/**
 * A typed key for {@link Exchange} attributes. Keys compare by identity: two keys made with the
 * same name are different keys. Declare a key once, as a constant:
 * {@code static final Key<State> STATE = Key.of("my-filter.state", State.class)}.
 *
 * <p>A key declared in a plugin is private to that plugin: each plugin has its own class loader,
 * so no other plugin can reach the constant. Filters of different plugins share information
 * through the well-known keys in {@link Keys}, which are loaded with the API.
 *
 * @param <T> the value type
 * @since 0.1
 */
public final class Key<T> {

    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Creates a key.
     *
     * @param name a descriptive name, used in logs only
     * @param type the value type
     * @param <T> the value type
     * @return a new key, distinct from every other
     */
    public static <T> Key<T> of(String name, Class<T> type) {
        return new Key<>(name, type);
    }

    /** @return the descriptive name */
    public String name() {
        return name;
    }

    /**
     * Checks and casts a value to the key's type.
     *
     * @param value the value
     * @return the value as {@code T}
     */
    public T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "Key[" + name + ": " + type.getSimpleName() + "]";
    }
}
