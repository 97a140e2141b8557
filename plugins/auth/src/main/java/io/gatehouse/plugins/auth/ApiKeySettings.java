package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The validated {@code api-key} section of an auth filter.
 *
 * @param header the request field holding the key, if keys come in a field
 * @param query the query parameter holding the key, if keys come in the query
 * @param inline the keys written in the config
 * @param initial the keys at start-up: the inline ones and the file's
 * @param file the watched file of more keys
 * @param watchInterval how often the file is looked at
 * @param forwardCredentials whether the key goes on to the origin (default: removed)
 * @param cache how successful checks are remembered
 */
record ApiKeySettings(Optional<String> header, Optional<String> query, ApiKeyStore inline, ApiKeyStore initial, Optional<Path> file,
                      Duration watchInterval, boolean forwardCredentials, CacheSettings cache) {

    private static final Set<String> KEYS = Set.of("header", "query", "keys", "file", "watch-interval",
            "forward-credentials", "cache-ttl", "cache-size", "max-pending");

    static ApiKeySettings parse(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        Optional<String> query = config.findString("query");
        Optional<String> header = config.findString("header")
                .map(h -> ConfigChecks.fieldName(h, config.path("header")))
                .or(() -> query.isPresent() ? Optional.empty() : Optional.of("X-Api-Key"));
        if (query.isPresent() && (query.get().isEmpty() || query.get().length() > 128)) {
            throw new ConfigException(config.path("query"), "expected a parameter name of 1 to 128 characters");
        }
        ApiKeyStore inline = ApiKeyStore.EMPTY.plus(config, "keys");
        Optional<Path> file = config.findString("file").map(Path::of);
        if (file.isPresent() && !Files.isReadable(file.get())) {
            throw new ConfigException(config.path("file"), "cannot read " + file.get());
        }
        if (inline.size() == 0 && file.isEmpty()) {
            throw new ConfigException(config.path("keys"), "give keys, or a file of keys");
        }
        ApiKeyStore initial = file.isEmpty() ? inline : WatchedFile.read(file.get(), root -> withFile(inline, root));
        return new ApiKeySettings(header, query, inline, initial, file, config.getPositiveDuration("watch-interval", Duration.ofSeconds(1)),
                config.getBoolean("forward-credentials", false), CacheSettings.parse(config));
    }

    /**
     * Reads the watched file's keys (a mapping with {@code keys:}) together with the inline ones.
     *
     * @param root the file's mapping
     * @return every key
     */
    ApiKeyStore withFile(PluginConfig root) {
        return withFile(inline, root);
    }

    private static ApiKeyStore withFile(ApiKeyStore inline, PluginConfig root) {
        root.requireKnownKeys(Set.of("keys"));
        return inline.plus(root, "keys");
    }
}
