package io.gatehouse.plugins.ratelimit.limit;

import java.util.Arrays;

/**
 * One request's key for each limit of a filter, by the limit's index; a limit whose key the
 * request lacks (no consumer, no such header) does not apply to it. Immutable once built.
 */
public final class KeyValues {

    private final String[] values;
    private final int applicable;

    private KeyValues(String[] values) {
        this.values = values;
        int count = 0;
        for (String v : values) {
            if (v != null) {
                count++;
            }
        }
        this.applicable = count;
    }

    /**
     * @param values the key of each limit, {@code null} for a limit that does not apply (the array is not copied: do not change it)
     * @return the keys
     */
    public static KeyValues wrap(String[] values) {
        return new KeyValues(values);
    }

    /**
     * @param values the key of each limit, all applicable
     * @return the keys
     */
    public static KeyValues of(String... values) {
        for (String v : values) {
            if (v == null) {
                throw new NullPointerException("key");
            }
        }
        return new KeyValues(values.clone());
    }

    /** @return the number of limits, applicable or not */
    public int size() {
        return values.length;
    }

    /** @return how many limits apply */
    public int applicable() {
        return applicable;
    }

    /**
     * @param limit a limit's index
     * @return whether that limit applies
     */
    public boolean applies(int limit) {
        return values[limit] != null;
    }

    /**
     * @param limit a limit's index, one that {@link #applies}
     * @return its key
     */
    public String key(int limit) {
        String value = values[limit];
        if (value == null) {
            throw new IllegalStateException("limit " + limit + " does not apply");
        }
        return value;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
