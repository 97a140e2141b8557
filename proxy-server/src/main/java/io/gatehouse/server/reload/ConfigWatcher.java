package io.gatehouse.server.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * {@code reload.watch}: reloads when the config file changes (written in place, or replaced by a
 * rename as editors and ConfigMap updates do). Changes that come in a burst make one reload: it
 * runs once the directory has been quiet for {@link #QUIET_MS} ms. Runs on its own daemon thread.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    static final long QUIET_MS = 200;

    private final WatchService service;
    private final Thread thread;

    private ConfigWatcher(WatchService service, Thread thread) {
        this.service = service;
        this.thread = thread;
    }

    /**
     * @param file the config file
     * @param reload what to run on a change
     * @return the running watcher
     * @throws IOException when the directory cannot be watched
     */
    public static ConfigWatcher start(Path file, Runnable reload) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        WatchService service = FileSystems.getDefault().newWatchService();
        directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Thread thread = new Thread(() -> watch(service, absolute.getFileName(), reload), "gatehouse-config-watch");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Watching {} for changes (reload.watch)", absolute);
        return new ConfigWatcher(service, thread);
    }

    private static void watch(WatchService service, Path name, Runnable reload) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = concerns(key, name);
                // a burst of events (truncate, write, rename): wait until it is over, within bounds
                for (WatchKey more = service.poll(QUIET_MS, TimeUnit.MILLISECONDS); more != null;
                     more = service.poll(QUIET_MS, TimeUnit.MILLISECONDS)) {
                    relevant |= concerns(more, name);
                }
                if (relevant) {
                    try {
                        reload.run();
                    } catch (RuntimeException e) {
                        LOG.error("Reload after a change of the config file failed", e);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static boolean concerns(WatchKey key, Path name) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            Object context = event.context();
            relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(context);
        }
        key.reset();
        return relevant;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("Closing the config watch: {}", e.toString());
        }
        thread.interrupt();
    }
}
