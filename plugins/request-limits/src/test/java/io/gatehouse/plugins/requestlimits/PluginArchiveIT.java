package io.gatehouse.plugins.requestlimits;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.PluginArchive;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The built plugin archive, loaded by PF4J from {@code plugins.directory} as in production. */
class PluginArchiveIT {

    private static final PluginArchive ARCHIVE = PluginArchive.built("target/plugin-request-limits-plugin.zip");

    @TempDir
    Path plugins;

    @Test
    void theArchivesFilterRefusesABodyOverTheLimit() throws Exception {
        ARCHIVE.copyInto(plugins);
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "plugins: { directory: \"" + plugins + "\" }",
                     "filters:",
                     "  - type: request-limits",
                     "    config: { max-body: 10B }",
                     "")).upstream(origin).start();
             RawConnection connection = gatehouse.raw().timeout(Duration.ofSeconds(10))) {
            String answer = connection.send("POST / HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Length: 11\r\n\r\nhello world").readResponse();

            assertThat(answer).startsWith("HTTP/1.1 413 ");
            assertThat(origin.requestCount()).isZero();
        }
    }
}
