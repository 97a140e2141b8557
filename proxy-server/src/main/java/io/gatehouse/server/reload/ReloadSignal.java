package io.gatehouse.server.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * SIGHUP reloads, as nginx and HAProxy do. Uses {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}), the JDK's only way to handle a signal; where the platform has no
 * SIGHUP (Windows), reload through the admin listener instead.
 */
public final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /**
     * @param reload the server's reload, given the trigger name {@code signal}
     * @return whether the handler was installed
     */
    public static boolean install(Function<String, ReloadResult> reload) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                // the JVM's signal thread: a reload validates and builds here, never on an I/O thread
                try {
                    reload.apply("signal");
                } catch (RuntimeException e) {
                    LOG.error("Reload on SIGHUP failed", e);
                }
            });
            return true;
        } catch (IllegalArgumentException e) {
            LOG.info("No SIGHUP on this platform ({}): reload with POST /reload on the admin listener", e.getMessage());
            return false;
        }
    }
}
