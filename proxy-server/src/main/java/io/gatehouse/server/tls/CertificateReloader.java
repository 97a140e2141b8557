package io.gatehouse.server.tls;

import io.gatehouse.server.config.CertificateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads TLS listeners' certificates when their files change: every {@value #CHECK_SECONDS}
 * seconds, on its own daemon thread (file reads never run on an I/O or timer thread), it compares
 * each file's modification time and size with what it last saw. A listener whose files changed has
 * all its certificates read again and checked; if that works, new handshakes get them (its {@link
 * SniKeyManager} is given the new set), while open connections keep theirs and nothing is
 * dropped. If it fails (a file half-written, a key that does not match), the listener keeps
 * serving the previous certificates and the problem is logged; the next change is tried again.
 */
public final class CertificateReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    /** How often the files are checked. */
    public static final long CHECK_SECONDS = 1;

    private final List<Watched> watched = new ArrayList<>();
    private ScheduledExecutorService checker;
    private boolean started;

    /** One listener and the state of its files when last looked at. */
    private static final class Watched {
        private final ServerTls tls;
        private List<String> stamps;

        Watched(ServerTls tls) {
            this.tls = tls;
            this.stamps = stamps(tls);
        }
    }

    /**
     * @param listeners the TLS contexts to watch
     */
    public CertificateReloader(List<ServerTls> listeners) {
        for (ServerTls tls : listeners) {
            watched.add(new Watched(tls));
        }
    }

    /** Starts checking (no thread while there is nothing to watch). */
    public synchronized void start() {
        started = true;
        if (watched.isEmpty() || checker != null) {
            return;
        }
        checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-certificates");
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Watches one more listener's files (a listener a reload added).
     *
     * @param tls the listener's TLS context
     */
    public synchronized void watch(ServerTls tls) {
        watched.add(new Watched(tls));
        if (started) {
            start();
        }
    }

    /**
     * Stops watching a listener's files (a listener a reload removed).
     *
     * @param tls the listener's TLS context
     */
    public synchronized void forget(ServerTls tls) {
        watched.removeIf(listener -> listener.tls == tls);
    }

    /** Looks at every watched listener's files now; reloads those that changed. */
    synchronized void check() {
        for (Watched listener : watched) {
            List<String> now = stamps(listener.tls);
            if (now.equals(listener.stamps)) {
                continue;
            }
            listener.stamps = now;
            try {
                List<ServerCertificate> loaded = ServerTls.loadAll(listener.tls.settings());
                listener.tls.keys().replace(loaded);
                LOG.info("Reloaded the certificates of {}: {}", listener.tls.settings().key(), loaded);
            } catch (RuntimeException e) {
                LOG.warn("Kept the previous certificates of {}: {}", listener.tls.settings().key(), e.getMessage());
            }
        }
    }

    private static List<String> stamps(ServerTls tls) {
        List<String> stamps = new ArrayList<>();
        for (CertificateSource source : tls.settings().certificates()) {
            for (Path file : source.files()) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    stamps.add(file + "@" + attributes.lastModifiedTime().toMillis() + "/" + attributes.size()
                            + "/" + Objects.toString(attributes.fileKey(), ""));
                } catch (IOException e) {
                    stamps.add(file + "@missing");
                }
            }
        }
        return stamps;
    }

    @Override
    public synchronized void close() {
        if (checker != null) {
            checker.shutdownNow();
            checker = null;
        }
    }
}
