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
