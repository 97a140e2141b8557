package io.gatehouse.plugins.tracing;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.PluginArchive;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built plugin archive, loaded by PF4J from {@code plugins.directory} as in production: it
 * carries the OpenTelemetry SDK and OTLP exporter with the JDK sender (no OkHttp, no Kotlin) and
 * not the server's libraries, and the exporter finds its sender under the plugin's class loader.
 */
class PluginArchiveIT {

    private static final PluginArchive ARCHIVE = PluginArchive.built("target/plugin-tracing-plugin.zip");

    @TempDir
    Path plugins;


    @Test
    void theArchiveBundlesItsOwnLibrariesOnly() throws IOException {
        List<String> names = ARCHIVE.entries();
        assertThat(names).contains("plugin.properties", "classes/META-INF/extensions.idx");
        assertThat(names).anyMatch(n -> n.matches("lib/opentelemetry-sdk-trace-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("lib/opentelemetry-exporter-otlp-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("lib/opentelemetry-exporter-sender-jdk-.*\\.jar"));
        assertThat(names).noneMatch(n -> n.matches("lib/(proxy-api|pf4j|slf4j-api|logback|okhttp|okio|kotlin|protobuf).*"));
    }

    @Test
    void theArchiveExportsWhenLoadedByPf4j() throws Exception {
        ARCHIVE.copyInto(plugins);
        try (Collector collector = Collector.start();
             TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "plugins: { directory: \"" + plugins + "\" }",
                     "filters:",
                     "  - type: tracing",
                     "    name: from-archive",
                     "    config: { endpoint: \"" + collector.endpoint() + "\", batch: { delay: 50ms } }",
                     "")).upstream(origin).start()) {
            assertThat(gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/x")).build()).statusCode()).isEqualTo(200);

            List<Span> spans = collector.awaitSpans(4).stream().map(Collector.Received::span).toList();
            String sent = origin.lastRequest().header("traceparent").orElseThrow();
            assertThat(spans).extracting(Span::getKind).contains(Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(spans).anySatisfy(span -> assertThat(OtlpExportIntegrationTest.hex(span.getSpanId()))
                    .isEqualTo(sent.split("-")[2]));
        }
    }
}
