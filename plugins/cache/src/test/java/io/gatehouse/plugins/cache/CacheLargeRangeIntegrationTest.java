package io.gatehouse.plugins.cache;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.GeneratedBody;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ranges of a stored 64 MiB object, in this module's 128 MiB test heap (see the pom): the origin
 * generates the body as it streams, the client checks it as it reads, so the one copy of those
 * 64 MiB that fits is the cache's own, and each range is served from it without copying it.
 */
class CacheLargeRangeIntegrationTest {

    private static final int LENGTH = 64 * 1024 * 1024;
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

    private static final GeneratedBody OBJECT = GeneratedBody.of(LENGTH, position -> (byte) (position % 251));

    private HttpResponse<InputStream> get(String range) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gatehouse.uri("/big"));
        if (!range.isEmpty()) {
            request.header("Range", range);
        }
        return gatehouse.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads the body, checking each byte against the object from {@code from}; returns how many there were. */
    private static long readChecking(HttpResponse<InputStream> response, long from) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long position = from;
        try (InputStream body = response.body()) {
            for (int n; (n = body.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != OBJECT.at(position)) {
                        throw new AssertionError("byte " + position + " differs");
                    }
                    position++;
                }
            }
        }
        return position - from;
    }

    @Test
    void rangesOfAStored64MibObjectAreServedFromTheStoreInASmallHeap() throws Exception {
        origin = TestOrigin.start(Reply.status(200).header("Cache-Control", "max-age=600").header("ETag", "\"big\"")
                .body(LENGTH, OBJECT::stream));
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: cache, name: big-cache, config: { max-size: 80MiB, max-object-size: 64MiB } } ]")
                .filters(new CacheFilterFactory()).upstream(origin).start();

        HttpResponse<InputStream> whole = get("");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(readChecking(whole, 0)).isEqualTo(LENGTH);
        assertThat(gatehouse.status("big-cache").orElseThrow()).contains("cache: 1 keys");

        for (int round = 0; round < 3; round++) { // each range again and again: nothing per request holds the whole object
            HttpResponse<InputStream> middle = get("bytes=33554432-34603007");
            assertThat(middle.statusCode()).isEqualTo(206);
            assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 33554432-34603007/" + LENGTH);
            assertThat(readChecking(middle, 33_554_432)).isEqualTo(1_048_576);

            HttpResponse<InputStream> tail = get("bytes=-1000");
            assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes " + (LENGTH - 1000) + "-" + (LENGTH - 1) + "/" + LENGTH);
            assertThat(readChecking(tail, LENGTH - 1000)).isEqualTo(1000);

            HttpResponse<InputStream> fromHalf = get("bytes=" + LENGTH / 2 + "-");
            assertThat(readChecking(fromHalf, LENGTH / 2)).isEqualTo(LENGTH / 2);
        }

        HttpResponse<InputStream> two = get("bytes=0-9,67108854-67108863");
        assertThat(two.statusCode()).isEqualTo(206);
        assertThat(two.headers().firstValue("Content-Type").orElseThrow()).startsWith("multipart/byteranges; boundary=");
        String multipart = new String(two.body().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(multipart).contains("Content-Range: bytes 0-9/" + LENGTH).contains("Content-Range: bytes 67108854-67108863/" + LENGTH);

        HttpResponse<InputStream> beyond = get("bytes=" + LENGTH + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + LENGTH);
        beyond.body().close();
        assertThat(origin.requestCount()).as("every range from the store").isEqualTo(1);
    }
}
