package io.gatehouse.api;

/**
 * A configuration value is missing or invalid. The message starts with the full key, for
 * example {@code filters[2].config.rate: expected a positive number, got "fast"}.
 *
 * @since 0.1
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The full key of the offending value. */
    private final String key;

    /**
     * @param key the full key of the offending value
     * @param problem what is wrong with it, in a few words
     */
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /**
     * The full key of the offending value.
     *
     * @return the key, e.g. {@code server.timeouts.connect}
     */
    public String key() {
        return key;
    }
}
