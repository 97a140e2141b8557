package io.gatehouse.plugins.compression;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.PluginArchive;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built plugin archive, loaded by PF4J as in production: it carries its own libraries
 * (brotli4j with its native builds, zstd-jni) and not the server's, and each coding works under
 * the plugin's class loader (Brotli finds its native library there).
 */
class PluginArchiveIT {

    private static final PluginArchive ARCHIVE = PluginArchive.built("target/plugin-compression-plugin.zip");
    private static final String TEXT = "compressed through the archive, ".repeat(200);

    @TempDir
    Path plugins;

    @Test
    void theArchiveBundlesItsOwnLibrariesOnly() throws IOException {
        List<String> names = ARCHIVE.entries();
        assertThat(names).contains("plugin.properties", "classes/META-INF/extensions.idx");
        assertThat(names).anyMatch(n -> n.matches("lib/brotli4j-.*\\.jar")).anyMatch(n -> n.matches("lib/native-linux-x86_64-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/zstd-jni-.*\\.jar"));
        assertThat(names).noneMatch(n -> n.matches("lib/(proxy-api|pf4j|slf4j-api|logback).*"));
    }

    @Test
    void everyCodingWorksWhenLoadedByPf4j() throws Exception {
        ARCHIVE.copyInto(plugins);
        try (TestOrigin origin = TestOrigin.start(Reply.ok(TEXT).header("Content-Type", "text/html"));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "plugins: { directory: \"" + plugins + "\" }",
                     "filters:",
                     "  - type: compression",
                     "")).upstream(origin).start()) {
            for (String coding : List.of("br", "zstd", "gzip")) {
                HttpResponse<byte[]> response = gatehouse.client().send(HttpRequest.newBuilder(gatehouse.uri("/"))
                        .header("Accept-Encoding", coding).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.headers().firstValue("Content-Encoding")).hasValue(coding);
                try (InputStream decoded = CompressionIntegrationTest.decoder(coding, new ByteArrayInputStream(response.body()))) {
                    assertThat(new String(decoded.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
                }
            }
        }
    }
}
