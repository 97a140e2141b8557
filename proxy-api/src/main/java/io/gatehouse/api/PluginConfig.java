package io.gatehouse.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A typed, read-only view of the {@code config} subtree of one filter entry. Every error names
 * the full key, e.g. {@code filters[3].config.window: expected a duration ...}.
 *
 * <p>A scalar where a list is expected reads as a list of one; a missing section reads as an
 * empty one.
 *
 * @since 0.1
 */
public interface PluginConfig {

    /**
     * The full key of a child value, for messages.
     *
     * @param key a child key
     * @return e.g. {@code filters[3].config.key}
     */
    String path(String key);

    /** @return the child keys present, in document order */
    Set<String> keys();

    /**
     * @param key a child key
     * @return whether a value is present
     */
    boolean has(String key);

    /**
     * A required string.
     *
     * @param key child key
     * @return the value
     * @throws ConfigException when absent or not a scalar
     */
    String getString(String key);

    /**
     * An optional string.
     *
     * @param key child key
     * @return the value, or empty when absent
     * @throws ConfigException when not a scalar
     */
    Optional<String> findString(String key);

    /**
     * @param key child key
     * @param defaultValue returned when absent
     * @return the value
     */
    default String getString(String key, String defaultValue) {
        return findString(key).orElse(defaultValue);
    }

    /**
     * @param key child key
     * @param defaultValue returned when absent
     * @return the integer value
     * @throws ConfigException when not an integer
     */
    int getInt(String key, int defaultValue);

    /**
     * @param key child key
     * @param defaultValue returned when absent
     * @return the value; accepts {@code true/false}
     * @throws ConfigException otherwise
     */
    boolean getBoolean(String key, boolean defaultValue);

    /**
     * @param key child key
     * @param defaultValue returned when absent
     * @return the duration, written like {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h} or {@code 1d}
     * @throws ConfigException when malformed
     */
    Duration getDuration(String key, Duration defaultValue);

    /**
     * @param key child key
     * @param defaultValue returned when absent
     * @return the size in bytes, written like {@code 512B}, {@code 8KiB}, {@code 64MiB}, {@code 2GiB}
     *     ({@code KB}, {@code MB}, {@code GB} are powers of 1000; a bare number means bytes)
     * @throws ConfigException when malformed
     */
    long getSize(String key, long defaultValue);

    /**
     * @param key child key
     * @return the strings, empty when absent
     * @throws ConfigException when an element is not a scalar
     */
    List<String> getStringList(String key);

    /**
     * A map of string values, such as a list of headers to set.
     *
     * @param key child key
     * @return the entries in document order, empty when absent
     * @throws ConfigException when not a map of scalars
     */
    Map<String, String> getStringMap(String key);

    /**
     * A nested section.
     *
     * @param key child key
     * @return the section, empty when absent
     * @throws ConfigException when not a map
     */
    PluginConfig getSection(String key);

    /**
     * A list of nested sections, such as routes.
     *
     * @param key child key
     * @return the sections, empty when absent
     * @throws ConfigException when an element is not a map
     */
    List<PluginConfig> getSectionList(String key);

    // ------------------------------------------------------------ validated values (0.2)

    /**
     * A required integer.
     *
     * @param key child key
     * @return the value
     * @throws ConfigException when absent or not an integer
     * @since 0.2
     */
    default int getInt(String key) {
        if (!has(key)) {
            throw new ConfigException(path(key), "required value is missing");
        }
        return getInt(key, 0);
    }

    /**
     * An integer within bounds, such as a weight from 1 to 1000. Use
     * {@link Integer#MAX_VALUE} for "no upper bound".
     *
     * @param key child key
     * @param defaultValue returned when absent; must lie within the bounds
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     * @throws ConfigException when not an integer or out of bounds, e.g.
     *     {@code filters[0].config.weight: must be between 1 and 1000, got 0}
     * @since 0.2
     */
    default int getInt(String key, int defaultValue, int min, int max) {
        ConfigRules.checkDefault(defaultValue, min, max);
        int value = getInt(key, defaultValue);
        if (value < min || value > max) {
            throw new ConfigException(path(key), ConfigRules.range(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE)
                    + ", got " + value);
        }
        return value;
    }

    /**
     * A size in bytes within bounds ({@link #getSize(String, long)} notation). Use
     * {@link Long#MAX_VALUE} for "no upper bound".
     *
     * @param key child key
     * @param defaultValue returned when absent; must lie within the bounds
     * @param min the smallest size allowed
     * @param max the largest size allowed
     * @return the size in bytes
     * @throws ConfigException when malformed or out of bounds, e.g.
     *     {@code ...replay-body: must be between 0B and 16MiB, got 1GiB}
     * @since 0.2
     */
    default long getSize(String key, long defaultValue, long min, long max) {
        ConfigRules.checkDefault(defaultValue, min, max);
        long value = getSize(key, defaultValue);
        if (value < min || value > max) {
            throw new ConfigException(path(key), ConfigRules.sizeRange(min, max) + ", got " + ConfigRules.size(value));
        }
        return value;
    }

    /**
     * An optional duration that must be greater than zero, such as a timeout.
     *
     * @param key child key
     * @return the duration, or empty when absent
     * @throws ConfigException when malformed or zero
     * @since 0.2
     */
    default Optional<Duration> findPositiveDuration(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        Duration value = getDuration(key, Duration.ZERO);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException(path(key), "must be positive, got \"" + getString(key) + "\"");
        }
        return Optional.of(value);
    }

    /**
     * A duration that must be greater than zero, such as an interval.
     *
     * @param key child key
     * @param defaultValue returned when absent; must be positive
     * @return the duration
     * @throws ConfigException when malformed or zero
     * @since 0.2
     */
    default Duration getPositiveDuration(String key, Duration defaultValue) {
        if (defaultValue.isZero() || defaultValue.isNegative()) {
            throw new IllegalArgumentException("the default must be positive: " + defaultValue);
        }
        return findPositiveDuration(key).orElse(defaultValue);
    }

    /**
     * A percentage from 0 to 100. One rule for every plugin: a decimal number is accepted
     * ({@code 2.5}), and so is a trailing percent sign ({@code 50%} is {@code 50}).
     *
     * @param key child key
     * @param defaultValue returned when absent; from 0 to 100
     * @return the percentage, from 0 to 100
     * @throws ConfigException when not a number or out of range
     * @since 0.2
     */
    default double getPercent(String key, double defaultValue) {
        ConfigRules.checkDefault(defaultValue, 0, 100);
        Optional<String> text = findString(key);
        return text.isEmpty() ? defaultValue : ConfigRules.percent(path(key), text.get());
    }

    /**
     * An optional origin URL such as {@code http://10.0.0.1:8080} ({@link Upstream#parse}).
     *
     * @param key child key
     * @return the upstream, or empty when absent
     * @throws ConfigException when not a plain {@code http://host[:port]} URL
     * @since 0.2
     */
    default Optional<Upstream> findUpstream(String key) {
        return findString(key).map(url -> ConfigRules.upstream(path(key), url));
    }

    /**
     * A required origin URL such as {@code http://10.0.0.1:8080} ({@link Upstream#parse}).
     *
     * @param key child key
     * @return the upstream
     * @throws ConfigException when absent or not a plain {@code http://host[:port]} URL
     * @since 0.2
     */
    default Upstream getUpstream(String key) {
        return findUpstream(key).orElseThrow(() -> new ConfigException(path(key), "required value is missing"));
    }

    /**
     * A list of origin URLs; errors name the element ({@code endpoints[2]}).
     *
     * @param key child key
     * @return the upstreams in document order, empty when absent
     * @throws ConfigException when an element is not a plain {@code http://host[:port]} URL
     * @since 0.2
     */
    default List<Upstream> getUpstreamList(String key) {
        List<String> urls = getStringList(key);
        List<Upstream> upstreams = new java.util.ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            upstreams.add(ConfigRules.upstream(path(key) + "[" + i + "]", urls.get(i)));
        }
        return List.copyOf(upstreams);
    }

    /**
     * An optional enum constant, matched case-insensitively with {@code -} read as
     * {@code _}: {@code round-robin}, {@code ROUND_ROBIN} and {@code Round-Robin} all name
     * {@code ROUND_ROBIN}.
     *
     * @param key child key
     * @param type the enum
     * @param <E> the enum type
     * @return the constant, or empty when absent
     * @throws ConfigException naming the allowed values (in kebab-case) when none matches
     * @since 0.2
     */
    default <E extends Enum<E>> Optional<E> findEnum(String key, Class<E> type) {
        return findString(key).map(text -> ConfigRules.constant(path(key), text, type));
    }

    /**
     * An enum constant, matched as by {@link #findEnum}.
     *
     * @param key child key
     * @param type the enum
     * @param defaultValue returned when absent
     * @param <E> the enum type
     * @return the constant
     * @throws ConfigException naming the allowed values (in kebab-case) when none matches
     * @since 0.2
     */
    default <E extends Enum<E>> E getEnum(String key, Class<E> type, E defaultValue) {
        java.util.Objects.requireNonNull(defaultValue, "defaultValue");
        return findEnum(key, type).orElse(defaultValue);
    }

    /**
     * Refuses keys this section does not know, naming the first with the known ones, so that a
     * typo fails start-up instead of being ignored.
     *
     * @param known the keys this section may have
     * @throws ConfigException naming the first unknown key
     */
    default void requireKnownKeys(Set<String> known) {
        for (String key : keys()) {
            if (!known.contains(key)) {
                java.util.List<String> sorted = new java.util.ArrayList<>(known);
                sorted.sort(null);
                throw new ConfigException(path(key), "unknown key (known here: " + String.join(", ", sorted) + ")");
            }
        }
    }

    /**
     * A config over plain Java values (maps, lists, strings, numbers, booleans), for tests
     * and for the server.
     *
     * @param path the full key of this subtree, e.g. {@code filters[0].config}
     * @param values the subtree
     * @return the view
     */
    static PluginConfig of(String path, Map<String, ?> values) {
        return new MapPluginConfig(path, values);
    }

    /**
     * A config over plain Java values with the path {@code config}.
     *
     * @param values the subtree
     * @return the view
     */
    static PluginConfig of(Map<String, ?> values) {
        return of("config", values);
    }
}
