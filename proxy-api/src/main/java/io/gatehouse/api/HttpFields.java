package io.gatehouse.api;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Read access to the header (or trailer) fields of an HTTP message. Names are matched
 * case-insensitively; order and repeated fields are preserved.
 *
 * @since 0.1
 */
public interface HttpFields {

    /**
     * The value of the first field called {@code name}.
     *
     * @param name field name, any case
     * @return the value, or empty when absent
     */
    Optional<String> first(String name);

    /**
     * All values of the fields called {@code name}, in message order.
     *
     * @param name field name, any case
     * @return the values, empty when absent
     */
    List<String> all(String name);

    /**
     * Whether at least one field called {@code name} is present.
     *
     * @param name field name, any case
     * @return true when present
     */
    default boolean contains(String name) {
        return first(name).isPresent();
    }

    /**
     * Visits every field in message order.
     *
     * @param action receives name and value
     */
    void forEach(BiConsumer<String, String> action);

    /**
     * The number of fields.
     *
     * @return the count, repeated fields counted each
     */
    int size();

    /**
     * Immutable fields, given as alternating names and values.
     *
     * @param namesAndValues {@code name1, value1, name2, value2, ...}
     * @return an immutable copy
     */
    static HttpFields of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        MutableHttpFields fields = MutableHttpFields.create();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields.toImmutable();
    }

    /**
     * Fields with none in them.
     *
     * @return the shared empty instance
     */
    static HttpFields empty() {
        return FrozenFields.EMPTY;
    }
}
