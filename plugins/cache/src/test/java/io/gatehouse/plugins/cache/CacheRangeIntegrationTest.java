package io.gatehouse.plugins.cache;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte ranges served from a stored complete response (RFC 9110 §14). */
class CacheRangeIntegrationTest {

    private static final int LENGTH = 300_000;
    private final byte[] object = new byte[LENGTH];
    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void start() {
        for (int i = 0; i < LENGTH; i++) {
            object[i] = (byte) ('a' + i % 26);
        }
        origin = TestOrigin.start(Reply.status(200).header("Cache-Control", "max-age=60").header("ETag", "\"v1\"")
                .header("Content-Type", "text/plain").body(object));
        gatehouse = EmbeddedGatehouse.builder().config("filters: [ { type: cache, config: { max-size: 8MiB, max-object-size: 1MiB } } ]")
                .filters(new CacheFilterFactory()).upstream(origin).start();
        assertThat(get(HttpRequest.newBuilder(gatehouse.uri("/object"))).statusCode()).isEqualTo(200); // stored
    }

    @AfterEach
    void stop() {
        gatehouse.close();
        origin.close();
    }

    private HttpResponse<byte[]> get(HttpRequest.Builder request) {
        try {
            return gatehouse.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<byte[]> range(String range, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gatehouse.uri("/object")).header("Range", range);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return get(request);
    }

    @Test
    void oneRangeIsA206WithItsPartOfTheStoredBody() {
        HttpResponse<byte[]> response = range("bytes=1000-1999");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + LENGTH);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(object, 1000, 2000));
        assertThat(range("bytes=-10").body()).isEqualTo(Arrays.copyOfRange(object, LENGTH - 10, LENGTH));
        assertThat(origin.requestCount()).as("served from the cache").isEqualTo(1);
    }

    @Test
    void severalRangesAreOneMultipartBody() {
        HttpResponse<byte[]> response = range("bytes=0-4, 100-104");

        assertThat(response.statusCode()).isEqualTo(206);
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).isEqualTo("\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-4/" + LENGTH
                + "\r\n\r\nabcde\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 100-104/" + LENGTH
                + "\r\n\r\nwxyza\r\n--" + boundary + "--\r\n");
    }

    @Test
    void aRangeOutsideTheBodyIs416WithTheLength() {
        HttpResponse<byte[]> response = range("bytes=" + LENGTH + "-");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */" + LENGTH);
    }

    @Test
    void ifRangeNeedsTheSameStrongValidatorElseTheWholeBodyComes() {
        assertThat(range("bytes=0-9", "If-Range", "\"v1\"").statusCode()).isEqualTo(206);

        HttpResponse<byte[]> changed = range("bytes=0-9", "If-Range", "\"v0\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(object);
        assertThat(range("bytes=0-9", "If-Range", "W/\"v1\"").statusCode()).as("weak: never a match").isEqualTo(200);
    }

    @Test
    void anIgnoredRangeFieldGetsTheWholeStoredBody() {
        HttpResponse<byte[]> response = range("bytes=9-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(object);
        assertThat(origin.requestCount()).isEqualTo(1);
    }
}
