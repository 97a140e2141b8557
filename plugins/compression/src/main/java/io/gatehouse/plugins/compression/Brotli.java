package io.gatehouse.plugins.compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;

/** Loads Brotli's native library once, with the plugin's class loader (it finds its native build through a service lookup). */
final class Brotli {

    private Brotli() {
    }

    static synchronized void ensureAvailable() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Brotli.class.getClassLoader());
        try {
            Brotli4jLoader.ensureAvailability();
        } catch (Throwable e) {
            throw new IllegalStateException("Brotli is not available on this platform (" + System.getProperty("os.name") + ", "
                    + System.getProperty("os.arch") + "): " + e.getMessage() + "; remove br from the algorithms", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
