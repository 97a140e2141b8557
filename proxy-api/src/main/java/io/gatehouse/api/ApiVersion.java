package io.gatehouse.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this API, against which a plugin's {@code plugin.requires} range is
 * checked.
 *
 * @since 0.1
 */
public final class ApiVersion {

    private static final String VERSION = load();

    private ApiVersion() {
    }

    /** @return the API version, e.g. {@code 0.1.0} */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("api-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("api.version", "0.0.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
