package io.gatehouse.plugins.cors;

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

    private static final PluginArchive ARCHIVE = PluginArchive.built("target/plugin-cors-plugin.zip");

    @TempDir
    Path plugins;

    @Test
    void theArchivesFilterAnswersAChromiumPreflight() throws Exception {
        ARCHIVE.copyInto(plugins);
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "plugins: { directory: \"" + plugins + "\" }",
                     "filters:",
                     "  - type: cors",
                     "    config: { allow-origins: [ \"https://app.example.com\" ], allow-headers: [ Content-Type ] }",
                     "")).upstream(origin).start();
             RawConnection connection = gatehouse.raw().timeout(Duration.ofSeconds(10))) {
            String answer = connection.send(BrowserPreflights.chromium("/", "127.0.0.1:" + gatehouse.port(), "https://app.example.com",
                    "POST", "content-type")).readResponse();

            assertThat(answer).startsWith("HTTP/1.1 204 ").contains("\r\nAccess-Control-Allow-Origin: https://app.example.com\r\n",
                    "\r\nAccess-Control-Allow-Methods: GET, HEAD, POST\r\n", "\r\nAccess-Control-Allow-Headers: Content-Type\r\n");
            assertThat(origin.requestCount()).isZero();
        }
    }
}
