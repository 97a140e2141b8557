package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of names read from the configuration, with errors that name the key. */
final class ConfigChecks {

    /** Consumer and group names: they go into header values and comma-separated lists. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:+/=~-]{1,128}");
    /** A field name: an RFC 9110 token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    /** A realm: printable ASCII without quote or backslash, so it needs no escaping in a challenge. */
    private static final Pattern REALM = Pattern.compile("[ !#-\\[\\]-~]{1,128}");

    private ConfigChecks() {
    }

    /**
     * @param config the section
     * @param key the key of a consumer or group name
     * @return the name
     */
    static String name(PluginConfig config, String key) {
        return name(config.getString(key), config.path(key));
    }

    /**
     * @param value a consumer or group name
     * @param path its full key
     * @return the name
     */
    static String name(String value, String path) {
        if (!NAME.matcher(value).matches()) {
            throw new ConfigException(path, "names are 1 to 128 letters, digits or ._@:+/=~- characters, got \"" + value + "\"");
        }
        return value;
    }

    /**
     * @param config the section
     * @param key the key of a list of names
     * @return the names, in order
     */
    static Set<String> names(PluginConfig config, String key) {
        List<String> values = config.getStringList(key);
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            names.add(name(values.get(i), config.path(key) + "[" + i + "]"));
        }
        return Set.copyOf(names);
    }

    /**
     * @param value a header field name
     * @param path its full key
     * @return the name
     */
    static String fieldName(String value, String path) {
        if (!TOKEN.matcher(value).matches()) {
            throw new ConfigException(path, "expected a header field name, got \"" + value + "\"");
        }
        return value;
    }

    /**
     * @param config the section
     * @param key the key of a list of header field names
     * @return the names, in order, without duplicates (case-insensitively)
     */
    static List<String> fieldNames(PluginConfig config, String key) {
        List<String> values = config.getStringList(key);
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String name = fieldName(values.get(i), config.path(key) + "[" + i + "]");
            if (!seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
                throw new ConfigException(config.path(key) + "[" + i + "]", "listed twice: " + name);
            }
        }
        return List.copyOf(values);
    }

    /**
     * @param config the section
     * @param key the realm's key
     * @param fallback the default
     * @return the realm
     */
    static String realm(PluginConfig config, String key, String fallback) {
        String realm = config.getString(key, fallback);
        if (!REALM.matcher(realm).matches()) {
            throw new ConfigException(config.path(key), "a realm is 1 to 128 printable ASCII characters without \" or \\");
        }
        return realm;
    }

    /**
     * @param value a value for a header field
     * @return whether it can go into a field as it is: printable ASCII, space and tab only
     */
    static boolean safeFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
