package io.gatehouse.plugins.compression;

import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filter on the in-memory test kit: which responses it compresses and what it says about them. */
class CompressionFilterTest {

    private static final String TEXT = "all work and no play makes jack a dull boy. ".repeat(100);

    private static TestExchange exchange(String acceptEncoding, int status, String... fields) {
        TestExchange exchange = TestExchange.get("/page").header("Accept-Encoding", acceptEncoding);
        return exchange.respondWith(status, fields);
    }

    @Test
    void aTextResponseIsGzippedForAGzipClientAndDecodesToTheOriginal() throws IOException {
        try (FilterHarness harness = FilterHarness.of(new CompressionFilterFactory(), Map.of("algorithms", List.of("gzip")))) {
            TestExchange exchange = exchange("gzip", 200, "Content-Type", "text/plain");
            harness.response(exchange);
            exchange.responseBody().data(TEXT.substring(0, 1000)).data(TEXT.substring(1000)).end();

            assertThat(exchange.response().orElseThrow().headers().first("Content-Encoding")).hasValue("gzip");
            assertThat(exchange.response().orElseThrow().headers().first("Vary")).hasValue("Accept-Encoding");
            byte[] sent = exchange.responseBody().sent();
            assertThat(sent.length).isLessThan(TEXT.length() / 10);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(sent))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void encodedPartialNoTransformSmallAndOtherTypesAreLeftAlone() {
        try (FilterHarness harness = FilterHarness.of(new CompressionFilterFactory(), Map.of())) {
            for (TestExchange untouched : List.of(
                    exchange("gzip", 200, "Content-Type", "text/plain", "Content-Encoding", "br"),
                    exchange("gzip", 206, "Content-Type", "text/plain"),
                    exchange("gzip", 200, "Content-Type", "text/plain", "Cache-Control", "public, no-transform"),
                    exchange("gzip", 200, "Content-Type", "image/png"),
                    exchange("identity", 200, "Content-Type", "text/plain"))) {
                harness.response(untouched);
                untouched.responseBody().data(TEXT).end();
                assertThat(untouched.responseBody().sentText()).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void aCompressibleResponseVariesOnAcceptEncodingEvenWhenNotCompressed() {
        try (FilterHarness harness = FilterHarness.of(new CompressionFilterFactory(), Map.of())) {
            TestExchange identity = exchange("identity", 200, "Content-Type", "text/css", "Vary", "Origin");
            harness.response(identity);
            assertThat(identity.response().orElseThrow().headers().all("Vary")).containsExactly("Origin", "Accept-Encoding");

            TestExchange star = exchange("gzip", 200, "Content-Type", "text/css", "Vary", "*");
            harness.response(star);
            assertThat(star.response().orElseThrow().headers().all("Vary")).containsExactly("*");
        }
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> FilterHarness.of(new CompressionFilterFactory(), Map.of("algorithms", List.of("deflate"))))
                .hasMessageContaining("filters[0].config.algorithms").hasMessageContaining("'deflate' is not br, zstd or gzip");
        assertThatThrownBy(() -> FilterHarness.of(new CompressionFilterFactory(), Map.of("levels", Map.of("gzip", 12))))
                .hasMessageContaining("levels.gzip");
        assertThatThrownBy(() -> FilterHarness.of(new CompressionFilterFactory(), Map.of("types", List.of("text"))))
                .hasMessageContaining("config.types");
    }
}
