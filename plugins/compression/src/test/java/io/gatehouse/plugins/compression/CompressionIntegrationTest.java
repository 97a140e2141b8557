package io.gatehouse.plugins.compression;

import com.github.luben.zstd.ZstdInputStream;
import io.gatehouse.plugins.cache.CacheFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.GeneratedBody;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compression filter in a real Gatehouse, in this module's 128 MiB test heap: a 64 MiB text
 * response is compressed as it streams with each coding and decodes to the original; the cache
 * in front of it keeps one variant per coding; compressed request bodies are decoded, and a zip
 * bomb is refused.
 */
class CompressionIntegrationTest {

    private static final long LENGTH = 64L * 1024 * 1024;
    private static final byte[] LINE = "the quick brown fox jumps over the lazy dog, line after line after line\n".getBytes(StandardCharsets.US_ASCII);

    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static final GeneratedBody TEXT = GeneratedBody.of(LENGTH, position -> LINE[(int) (position % LINE.length)]);

    private void start(String filters) {
        origin = TestOrigin.start(request -> request.method().equals("POST")
                ? Reply.ok("got " + request.bodyText().length() + " bytes: " + request.bodyText().substring(0, Math.min(20, request.bodyText().length()))
                        + "; encoding " + request.header("Content-Encoding").orElse("none"))
                : Reply.status(200).header("Content-Type", "text/plain; charset=us-ascii").header("Cache-Control", "max-age=600")
                        .header("ETag", "\"text-1\"").body(request.target().equals("/small") ? 64 * 1024 : LENGTH,
                                TEXT::stream));
        gatehouse = EmbeddedGatehouse.builder().config("filters:\n" + filters)
                .filters(new CompressionFilterFactory(), new CacheFilterFactory()).upstream(origin).start();
    }

    private HttpResponse<InputStream> get(String path, String acceptEncoding) throws Exception {
        return gatehouse.client().send(HttpRequest.newBuilder(gatehouse.uri(path)).header("Accept-Encoding", acceptEncoding).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    static InputStream decoder(String coding, InputStream body) throws IOException {
        return switch (coding) {
            case "gzip" -> new GZIPInputStream(body, 64 * 1024);
            case "br" -> BrotliCli.decoding(body);
            case "zstd" -> new ZstdInputStream(body);
            default -> body;
        };
    }

    /** Reads and decodes the body, checking each byte against the text; returns the decoded length. */
    private static long decodeChecking(HttpResponse<InputStream> response, String coding) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long position = 0;
        byte[] compressed;
        try (InputStream body = response.body()) {
            compressed = body.readAllBytes(); // small: the text repeats 
        }
        try (InputStream decoded = decoder(coding, new java.io.ByteArrayInputStream(compressed))) {
            for (int n; (n = decoded.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != TEXT.at(position)) {
                        throw new AssertionError("decoded byte " + position + " differs");
                    }
                    position++;
                }
            }
        }
        return position;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void a64MibResponseIsCompressedAsItStreamsAndDecodesToTheOriginal(String coding) throws Exception {
        start("  - { type: compression, config: { algorithms: [br, zstd, gzip], levels: { br: 1, zstd: 1, gzip: 1 } } }\n");

        HttpResponse<InputStream> response = get("/big", coding);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue(coding);
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"text-1\"");
        assertThat(response.headers().allValues("Vary")).contains("Accept-Encoding");
        assertThat(decodeChecking(response, coding)).isEqualTo(LENGTH);
    }

    @Test
    void theCacheInFrontKeepsOneVariantPerCoding() throws Exception {
        start("  - { type: cache, name: cache, config: { max-size: 8MiB, max-object-size: 1MiB } }\n"
                + "  - { type: compression }\n");

        for (String coding : new String[] {"gzip", "br", "identity", "gzip", "br", "identity"}) {
            HttpResponse<InputStream> response = get("/small", coding);
            assertThat(response.headers().firstValue("Content-Encoding").orElse("identity")).isEqualTo(coding);
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            try (InputStream in = decoder(coding, new java.io.ByteArrayInputStream(response.body().readAllBytes()))) {
                in.transferTo(decoded);
            }
            assertThat(decoded.size()).isEqualTo(64 * 1024);
        }
        assertThat(origin.requestCount()).as("one origin request per variant, then hits").isEqualTo(3);
        assertThat(gatehouse.status("cache").orElseThrow()).contains("cache: 1 keys");
    }

    @Test
    void aCompressedRequestBodyIsDecodedAndABombIsRefused() throws Exception {
        start("  - { type: compression, config: { request-decompression: { max-size: 1MiB, max-ratio: 20 } } }\n");
        String plain = "name=value&".repeat(100);

        HttpResponse<String> decoded = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/form")).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(plain.getBytes(StandardCharsets.US_ASCII)))).build());
        assertThat(decoded.body()).isEqualTo("got " + plain.length() + " bytes: " + plain.substring(0, 20) + "; encoding none");

        byte[] bomb = gzip(new byte[10 * 1024 * 1024]); // ~10 KiB that expand a thousandfold
        HttpResponse<String> refused = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/form")).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build());
        assertThat(refused.statusCode()).isEqualTo(413);

        HttpResponse<String> garbage = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/form")).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("not gzip at all")).build());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(origin.requestCount()).as("only the good request reached the origin").isEqualTo(1);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
