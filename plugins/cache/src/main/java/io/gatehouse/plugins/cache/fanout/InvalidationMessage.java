package io.gatehouse.plugins.cache.fanout;

import java.util.Objects;

/**
 * One invalidation to apply on the other instances: drop a primary key, or every key under a prefix.
 *
 * @param kind what {@code key} names
 * @param key a primary key, or a prefix of primary keys
 */
public record InvalidationMessage(Kind kind, String key) {

    /** What an invalidation drops. */
    public enum Kind {
        /** every variant of one primary key */
        KEY,
        /** every primary key that starts with the prefix */
        PREFIX
    }

    /** Checks the fields. */
    public InvalidationMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }
}
