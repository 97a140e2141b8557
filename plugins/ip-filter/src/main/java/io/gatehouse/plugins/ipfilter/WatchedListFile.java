package io.gatehouse.plugins.ipfilter;

import io.gatehouse.api.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A list whose file is re-read when it changes: the filters' timer compares the file's
 * modification time and size every interval, and a changed file is read on the blocking executor
 * (never on an I/O thread). A good file replaces the list; a bad one is logged at {@code ERROR}
 * naming the file and line, and the list in force stays.
 */
final class WatchedListFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedListFile.class);

    private final String name;
    private final AddressList list;
    private final Path file;
    private final Consumer<AddressSet> onChange;
    private final Executor blocking;
    private final ScheduledFuture<?> watcher;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Optional<Stamp> seen;
    private volatile Optional<String> refused = Optional.empty();

    private record Stamp(long modifiedMillis, long size) {
    }

    /**
     * @param name what the list is, for the log ({@code ip-filter#0 deny list})
     * @param list the list, whose file is present and was read at start-up
     * @param interval how often to look at the file
     * @param onChange given the new set after a good change (on a blocking thread)
     * @param scheduler the filters' timer
     * @param blocking the blocking executor
     */
    WatchedListFile(String name, AddressList list, Duration interval, Consumer<AddressSet> onChange,
                    ScheduledExecutorService scheduler, Executor blocking) {
        this.name = name;
        this.list = list;
        this.file = list.file().orElseThrow();
        this.onChange = onChange;
        this.blocking = blocking;
        this.seen = stamp(file);
        long period = Math.max(1, interval.toMillis());
        this.watcher = scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** @return why the file's last change was refused, empty when it was applied */
    Optional<String> refused() {
        return refused;
    }

    /** @return the file */
    Path file() {
        return file;
    }

    private void tick() {
        Optional<Stamp> now = stamp(file);
        if (now.equals(seen) || !reading.compareAndSet(false, true)) {
            return;
        }
        try {
            blocking.execute(() -> {
                try {
                    reload(now);
                } finally {
                    reading.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            reading.set(false);
            LOG.debug("Re-reading {} postponed: the blocking executor is busy", file);
        }
    }

    private void reload(Optional<Stamp> stamp) {
        seen = stamp;
        if (stamp.isEmpty()) {
            refused = Optional.of(file + ": cannot read it (gone?)");
            LOG.error("{}: {} cannot be read, the list in force stays", name, file);
            return;
        }
        try {
            AddressSet next = list.load();
            refused = Optional.empty();
            onChange.accept(next);
            LOG.info("{}: reloaded {} ({})", name, file, next);
        } catch (ConfigException e) {
            refused = Optional.of(e.getMessage());
            LOG.error("{}: {} not reloaded, the list in force stays: {}", name, file, e.getMessage());
        }
    }

    private static Optional<Stamp> stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        watcher.cancel(false);
    }
}
