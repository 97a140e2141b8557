package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A YAML file of credentials (API keys, users) that is re-read when it changes. The file is read
 * once at start-up (a bad file stops start-up, naming the file and key); afterwards the filters'
 * timer looks at its modification time and size every interval, and a changed file is read on the
 * blocking executor. A valid change replaces the current value atomically; an invalid one is
 * logged at {@code ERROR} with its key and the current value stays (shown in {@code /status}).
 *
 * @param <T> the parsed value
 */
final class WatchedFile<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);
    private static final int MAX_FILE_SIZE = 16 * 1024 * 1024;

    private final Path file;
    private final Function<PluginConfig, T> parser;
    private final Consumer<T> onChange;
    private final Executor blocking;
    private final AtomicReference<T> current;
    private final ScheduledFuture<?> watcher;
    private volatile Stamp seen;
    private volatile Optional<String> refused = Optional.empty();

    private record Stamp(long modifiedMillis, long size) {
    }

    /**
     * @param file the file, already read by {@link #read}
     * @param first its value at start-up
     * @param interval how often to look at it
     * @param parser parses the file's mapping (throws {@link ConfigException} naming the key)
     * @param onChange told the new value after a valid change (on a blocking thread)
     * @param scheduler the filters' timer
     * @param blocking the blocking executor, where the file is read
     */
    WatchedFile(Path file, T first, Duration interval, Function<PluginConfig, T> parser, Consumer<T> onChange,
                ScheduledExecutorService scheduler, Executor blocking) {
        this.file = file;
        this.parser = parser;
        this.onChange = onChange;
        this.blocking = blocking;
        this.current = new AtomicReference<>(first);
        this.seen = stamp(file);
        long period = Math.max(1, interval.toMillis());
        this.watcher = scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads and parses a YAML file whose top level is a mapping.
     *
     * @param file the file
     * @param parser parses the mapping; its keys are named after the file ({@code /etc/keys.yaml.keys[2].hash})
     * @param <T> the value
     * @return the value
     * @throws ConfigException naming the file (and key) when it cannot be read or is invalid
     */
    static <T> T read(Path file, Function<PluginConfig, T> parser) {
        Object tree;
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new ConfigException(file.toString(), "larger than 16 MiB");
            }
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            if (e instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                // the position only: the file holds credentials' hashes, not to be quoted in logs
                throw new ConfigException(file.toString(), "not valid YAML at line " + (y.getProblemMark().getLine() + 1));
            }
            throw new ConfigException(file.toString(), "cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new ConfigException(file.toString(), "expected a YAML mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> values = (Map<String, ?>) map;
        return parser.apply(PluginConfig.of(file.toString(), values));
    }

    /** @return the current value */
    T current() {
        return current.get();
    }

    /** @return the file */
    Path file() {
        return file;
    }

    /** @return why the last change was refused, or empty when it was applied */
    Optional<String> refused() {
        return refused;
    }

    private void tick() {
        Stamp now = stamp(file);
        if (now == null || now.equals(seen)) {
            return;
        }
        try {
            blocking.execute(() -> reload(now));
        } catch (RejectedExecutionException e) {
            LOG.debug("Re-reading {} postponed: the blocking executor is busy", file);
        }
    }

    /** Re-reads the file now (the timer calls it on a change; tests may call it directly). */
    void reload(Stamp stamp) {
        seen = stamp;
        try {
            T next = read(file, parser);
            current.set(next);
            refused = Optional.empty();
            onChange.accept(next);
            LOG.info("Auth credentials reloaded from {}", file);
        } catch (ConfigException e) {
            refused = Optional.of(e.getMessage());
            LOG.error("Auth credentials in {} not reloaded, the current ones stay: {}", file, e.getMessage());
        }
    }

    /** Re-reads the file now, whether or not it looks changed. */
    void reloadNow() {
        reload(stamp(file));
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        watcher.cancel(false);
    }
}
