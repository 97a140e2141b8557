package io.gatehouse.plugins.cache;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coalesced misses do not depend on how fast the leading client reads: a leader that never reads
 * its response holds its followers only while its body is small enough to arrive whole anyway.
 */
class CacheCoalescingIntegrationTest {

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

    private void start(int bodyBytes) {
        origin = TestOrigin.start(Reply.status(200).header("Cache-Control", "max-age=60").body(new byte[bodyBytes]));
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: cache, config: { max-size: 32MiB, max-object-size: 16MiB, coalesce-wait: 60s } } ]")
                .filters(new CacheFilterFactory()).upstream(origin).start();
    }

    /** Followers that count their body bytes instead of keeping them (the test JVM's heap is small). */
    private List<CompletableFuture<HttpResponse<Void>>> followers(int count, AtomicLong bytes) {
        List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(gatehouse.client().sendAsync(HttpRequest.newBuilder(gatehouse.uri("/object")).build(),
                    HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(b -> bytes.addAndGet(b.length)))));
        }
        return responses;
    }

    /** A client that sends a GET of {@code /object} and never reads: a small receive buffer, so little of the answer fits in it. */
    private Socket leader() throws Exception {
        Socket leader = new Socket();
        leader.setReceiveBufferSize(4096);
        leader.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gatehouse.port()), 5000);
        OutputStream out = leader.getOutputStream();
        out.write(("GET /object HTTP/1.1\r\nHost: 127.0.0.1:" + gatehouse.port() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        origin.awaitRequests(1, Duration.ofSeconds(10));
        return leader;
    }

    @Test
    void followersOfALeaderThatDoesNotReadAreNotHeldByIt() throws Exception {
        start(8 * 1024 * 1024); // more than the connection buffers hold (a few MiB on loopback), less than max-object-size
        try (Socket leader = leader()) {
            AtomicLong bytes = new AtomicLong();
            for (CompletableFuture<HttpResponse<Void>> follower : followers(2, bytes)) {
                HttpResponse<Void> response = follower.get(15, TimeUnit.SECONDS); // coalesce-wait is 60 s
                assertThat(response.statusCode()).isEqualTo(200);
            }
            assertThat(bytes.get()).isEqualTo(2L * 8 * 1024 * 1024);
        }
    }

    @Test
    void followersOfALeaderThatDoesNotReadAreStillCollapsedOntoASmallBody() throws Exception {
        start(16 * 1024);
        try (Socket leader = leader()) {
            AtomicLong bytes = new AtomicLong();
            for (CompletableFuture<HttpResponse<Void>> follower : followers(3, bytes)) {
                HttpResponse<Void> response = follower.get(15, TimeUnit.SECONDS);
                assertThat(response.headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; hit");
            }
            assertThat(bytes.get()).isEqualTo(3L * 16 * 1024);
            assertThat(origin.requestCount()).isEqualTo(1);
        }
    }
}
