package io.gatehouse.api.internal;

import io.gatehouse.api.annotation.Internal;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@link io.gatehouse.api.metrics.FilterMetrics} names and tags, shared by every
 * implementation (the server's, the test kit's, the no-op one).
 *
 * <p>Not part of the API (see {@link Internal}).
 *
 * @since 0.2
 */
@Internal
public final class MeterNames {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*([._][a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Set<String> TAKEN = Set.of("calls", "short_circuits", "errors", "duration");
    private static final Set<String> RESERVED_TAGS = Set.of("filter", "type");

    private MeterNames() {
    }

    /**
     * @param name a meter name
     * @param tags name/value pairs
     * @throws IllegalArgumentException when either breaks the rules
     */
    public static void check(String name, String... tags) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tags, "tags");
        if (name.length() > 64 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("meter name must be lower case words separated by dots, at most 64 characters: " + name);
        }
        if (TAKEN.contains(name.replace('.', '_'))) {
            throw new IllegalArgumentException("meter name " + name + " is the chain engine's: pick another");
        }
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("tags are name/value pairs, got " + tags.length + " strings");
        }
        for (int i = 0; i < tags.length; i += 2) {
            String tag = Objects.requireNonNull(tags[i], "tag name");
            Objects.requireNonNull(tags[i + 1], "value of tag " + tag);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("tag name must be lower case words separated by underscores: " + tag);
            }
            if (RESERVED_TAGS.contains(tag)) {
                throw new IllegalArgumentException("tag " + tag + " is set by the server");
            }
        }
    }
}
