package io.gatehouse.api;

/**
 * A mutable view of header fields, such as the request head a filter may edit. Instances
 * handed out by the server are views on the live message and are only valid inside the hook
 * that received them.
 *
 * @since 0.1
 */
public interface MutableHttpFields extends HttpFields {

    /**
     * Appends a field, keeping existing ones of the same name.
     *
     * @param name field name
     * @param value field value
     */
    void add(String name, String value);

    /**
     * Replaces every field called {@code name} by one field with {@code value}.
     *
     * @param name field name
     * @param value field value
     */
    void set(String name, String value);

    /**
     * Removes every field called {@code name}.
     *
     * @param name field name, any case
     * @return true when at least one field was removed
     */
    boolean remove(String name);

    /**
     * An immutable snapshot of the current fields.
     *
     * @return the snapshot
     */
    HttpFields toImmutable();

    /**
     * A new, empty, unsynchronized field list.
     *
     * @return the list
     */
    static MutableHttpFields create() {
        return new FieldList();
    }
}
