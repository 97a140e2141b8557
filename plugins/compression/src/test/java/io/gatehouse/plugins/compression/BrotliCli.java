package io.gatehouse.plugins.compression;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Decodes Brotli with the reference command-line tool ({@code brotli -d}, Debian package
 * {@code brotli}; {@code .ci/run} installs it): an independent check of what the plugin encodes.
 * (brotli4j's own {@code BrotliInputStream} reports "unexpected end of input" on the last 64 KiB
 * of long streams that the reference decoder reads whole.)
 */
final class BrotliCli {

    private BrotliCli() {
    }

    /** @return the decoded bytes of {@code compressed}, read as the tool writes them */
    static InputStream decoding(InputStream compressed) throws IOException {
        Process brotli;
        try {
            brotli = new ProcessBuilder("brotli", "-d", "-c").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("the Brotli tests need the brotli tool (apt-get install -y brotli; .ci/run installs it): " + e.getMessage(), e);
        }
        Thread feeder = new Thread(() -> {
            try (InputStream in = compressed; var out = brotli.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "brotli-feeder");
        feeder.setDaemon(true);
        feeder.start();
        return brotli.getInputStream();
    }
}
