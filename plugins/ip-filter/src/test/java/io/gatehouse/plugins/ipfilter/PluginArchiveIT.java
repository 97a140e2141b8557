package io.gatehouse.plugins.ipfilter;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.PluginArchive;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built plugin archive, loaded by PF4J from {@code plugins.directory} as in production. */
class PluginArchiveIT {

    private static final PluginArchive ARCHIVE = PluginArchive.built("target/plugin-ip-filter-plugin.zip");

    @TempDir
    Path plugins;

    @Test
    void theArchiveHoldsTheExtensionIndexAndNoCopyOfTheApi() throws IOException {
        List<String> names = ARCHIVE.entries();
        assertThat(names).contains("plugin.properties", "classes/META-INF/extensions.idx");
        assertThat(names).noneMatch(n -> n.startsWith("lib/"));
    }

    @Test
    void aDeniedClientGets403FromTheArchivesFilterAndTheOriginSeesNothing() throws Exception {
        ARCHIVE.copyInto(plugins);
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "plugins: { directory: \"" + plugins + "\" }",
                     "server:",
                     "  forwarding: { trusted-proxies: [\"127.0.0.1/32\", \"::1/128\"] }",
                     "filters:",
                     "  - type: ip-filter",
                     "    config: { deny: [ \"203.0.113.0/24\" ] }",
                     "")).upstream(origin).start()) {
            HttpResponse<String> denied = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/"))
                    .timeout(Duration.ofSeconds(10)).header("X-Forwarded-For", "203.0.113.50").build());
            HttpResponse<String> allowed = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/"))
                    .timeout(Duration.ofSeconds(10)).header("X-Forwarded-For", "198.51.100.50").build());

            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(origin.requestCount()).isEqualTo(1);
            assertThat(origin.lastRequest().header("X-Forwarded-For").orElseThrow()).contains("198.51.100.50");
        }
    }
}
