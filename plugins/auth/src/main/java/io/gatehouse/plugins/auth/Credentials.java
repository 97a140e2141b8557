package io.gatehouse.plugins.auth;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The credentials of one mechanism (API keys, Basic users): given inline in the config or in a
 * watched file, and the password checks against them, whose remembered matches are forgotten when
 * the file changes. Shared by {@link ApiKeyMechanism} and {@link BasicMechanism}.
 *
 * @param <S> the store of credentials
 */
final class Credentials<S> implements AutoCloseable {

    private final S inline;
    private final PasswordChecks checks;
    private final Optional<WatchedFile<S>> file;

    /**
     * @param inline the credentials of the config
     * @param initial what the file held at start-up (the inline ones when there is no file)
     * @param path the watched file, if any
     * @param interval how often it is looked at
     * @param parser reads the file's content (merged with the inline credentials)
     * @param cache the settings of the remembered matches
     * @param context the filter's context (its timer, blocking executor and clock)
     */
    Credentials(S inline, S initial, Optional<Path> path, Duration interval, Function<PluginConfig, S> parser,
                CacheSettings cache, FilterContext context) {
        this.inline = inline;
        this.checks = PasswordChecks.of(cache, context);
        this.file = path.map(p -> new WatchedFile<>(p, initial, interval, parser, store -> checks.forgetAll(),
                context.scheduler(), context.blockingExecutor()));
    }

    /** @return the credentials now: the watched file's last good content, else the inline ones */
    S current() {
        return file.map(WatchedFile::current).orElse(inline);
    }

    /** @return the password checks */
    PasswordChecks checks() {
        return checks;
    }

    /** @return {@code " (watching FILE)"}, or nothing without a file */
    String watching() {
        return file.map(f -> " (watching " + f.file() + ")").orElse("");
    }

    /** @return why the file's last change was refused, when it was */
    Optional<String> refusedChange() {
        return file.flatMap(WatchedFile::refused);
    }

    @Override
    public void close() {
        file.ifPresent(WatchedFile::close);
    }
}
