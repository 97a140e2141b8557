package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The validated {@code basic} section of an auth filter.
 *
 * @param inline the users written in the config
 * @param initial the users at start-up: the inline ones and the file's
 * @param file the watched file of more users
 * @param watchInterval how often the file is looked at
 * @param forwardCredentials whether {@code Authorization} goes on to the origin (default: removed)
 * @param cache how successful checks are remembered
 */
record BasicSettings(UserStore inline, UserStore initial, Optional<Path> file, Duration watchInterval,
                     boolean forwardCredentials, CacheSettings cache) {

    private static final Set<String> KEYS = Set.of("users", "file", "watch-interval", "forward-credentials",
            "cache-ttl", "cache-size", "max-pending");

    static BasicSettings parse(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        UserStore inline = UserStore.EMPTY.plus(config, "users");
        Optional<Path> file = config.findString("file").map(Path::of);
        if (file.isPresent() && !Files.isReadable(file.get())) {
            throw new ConfigException(config.path("file"), "cannot read " + file.get());
        }
        UserStore initial = file.isEmpty() ? inline : WatchedFile.read(file.get(), root -> withFile(inline, root));
        if (initial.size() == 0) {
            throw new ConfigException(config.path("users"), "give users, or a file of users");
        }
        return new BasicSettings(inline, initial, file, config.getPositiveDuration("watch-interval", Duration.ofSeconds(1)),
                config.getBoolean("forward-credentials", false), CacheSettings.parse(config));
    }

    /**
     * Reads the watched file's users (a mapping with {@code users:}) together with the inline ones.
     *
     * @param root the file's mapping
     * @return every user
     */
    UserStore withFile(PluginConfig root) {
        return withFile(inline, root);
    }

    private static UserStore withFile(UserStore inline, PluginConfig root) {
        root.requireKnownKeys(Set.of("users"));
        UserStore all = inline.plus(root, "users");
        if (all.size() == 0) {
            throw new ConfigException(root.path("users"), "no users");
        }
        return all;
    }
}
