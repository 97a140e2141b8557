package io.gatehouse.server.exchange;

import io.gatehouse.server.testing.ProxyFixture;
import io.gatehouse.server.testing.RawConnection;
import io.gatehouse.server.testing.ScriptedOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the client gets when the origin is down, slow, broken or hostile. */
class OriginFailureIntegrationTest {

    @Test
    void refusedConnectionGives502() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ProxyFixture proxy = ProxyFixture.plain("http://127.0.0.1:" + closedPort)) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).startsWith("Bad Gateway").doesNotContain("Exception");
            assertThat(response.headers().firstValue("Connection")).hasValue("close");
            assertThat(response.headers().firstValue("Date")).isPresent();
        }
    }

    @Test
    void silentOriginGives504WithinTheResponseTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }); ProxyFixture proxy = ProxyFixture.start("server:\n  upstream: " + origin.url()
                + "\n  timeouts: { response: 1s }\n", List.of())) {
            long start = System.nanoTime();
            HttpResponse<String> response = proxy.get("/slow");
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(elapsed).isBetween(900L, 2_000L);
        } finally {
            release.countDown();
        }
    }

    @Test
    void originSlowerThanTheConnectTimeoutButWithinTheResponseTimeoutAnswers() {
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> {
            ScriptedOrigin.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nfirst");
            try {
                new CountDownLatch(1).await(1200, TimeUnit.MILLISECONDS); // the origin pauses mid-body
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ScriptedOrigin.write(out, "-last");
        }); ProxyFixture proxy = ProxyFixture.start("server:\n  upstream: " + origin.url()
                + "\n  timeouts: { connect: 300ms, response: 5s }\n", List.of())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("first-last");
        }
    }

    static Stream<Arguments> brokenOrigins() {
        return Stream.of(
                Arguments.of("no status line (HTTP/0.9 style)", "hello world\r\n"),
                Arguments.of("status line without version", "200 OK\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("NUL in a header", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("bare CR in a header", "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 2\r\n\r\nok"),
                Arguments.of("invalid Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\nok"),
                Arguments.of("closed before answering", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenOrigins")
    void brokenOriginResponsesGive502(String problem, String reply) {
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> ScriptedOrigin.write(out, reply));
             ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).doesNotContain("hello").doesNotContain("Exception");
        }
    }

    @Test
    void originFailingMidBodyAbortsTheClientConnection() {
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> ScriptedOrigin.write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(100)));
             ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
            assertThatThrownBy(() -> proxy.client().send(HttpRequest.newBuilder(proxy.uri("/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void originFailingMidChunkedBodyNeverLooksComplete() {
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> ScriptedOrigin.write(out,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
             ProxyFixture proxy = ProxyFixture.plain(origin.url()); RawConnection raw = proxy.raw()) {
            String received = raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 200").doesNotContain("\r\n0\r\n\r\n");
        }
    }

    @Test
    void noUpstreamConfiguredGives502() {
        try (ProxyFixture proxy = ProxyFixture.start("filters: []\n", List.of())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("no upstream");
        }
    }

    @Test
    void originConnectionWithUnreadBytesIsNeverReused() {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> {
            ScriptedOrigin.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
            try {
                release.await(20, TimeUnit.SECONDS); // keep the connection open with the extra bytes sent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }); ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
            HttpResponse<String> first = proxy.get("/1");
            HttpResponse<String> second = proxy.get("/2");

            assertThat(first.body()).isEqualTo("hello");
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("hello");
            assertThat(origin.connectionsAccepted()).isEqualTo(2);
        } finally {
            release.countDown();
        }
    }

    @Test
    void waitingForAFreeOriginConnectionEndsWithinTheConnectTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> {
            ScriptedOrigin.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nslow");
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }); ProxyFixture proxy = ProxyFixture.start("server:\n  upstream: " + origin.url()
                + "\n  io-threads: 1\n  upstream-pool: { max-per-route: 1 }\n  timeouts: { connect: 500ms }\n", List.of())) {
            java.util.concurrent.CompletableFuture<HttpResponse<String>> holder = proxy.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/hold")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> origin.heads().size() == 1);
            long start = System.nanoTime();

            HttpResponse<String> second = proxy.get("/second");

            assertThat(second.statusCode()).isEqualTo(504);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000L);
            release.countDown();
            assertThat(holder).failsWithin(Duration.ofSeconds(10));
        } finally {
            release.countDown();
        }
    }

    @Test
    void anEarlyOriginAnswerDoesNotStallTheUpload() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedOrigin origin = ScriptedOrigin.startRaw((head, in, out) -> {
            ScriptedOrigin.write(out, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\nnope");
            try {
                release.await(20, TimeUnit.SECONDS); // never reads the body
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }); ProxyFixture proxy = ProxyFixture.plain(origin.url());
             io.gatehouse.server.testing.RawConnection raw = proxy.raw()) {
            int size = 4 * 1024 * 1024;
            raw.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
            java.util.concurrent.CompletableFuture<Void> upload = java.util.concurrent.CompletableFuture.runAsync(() -> {
                String chunk = "x".repeat(64 * 1024);
                for (int sent = 0; sent < size; sent += chunk.length()) {
                    raw.send(chunk);
                }
            });

            String response = raw.readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 401").contains("nope");
            assertThat(upload).succeedsWithin(Duration.ofSeconds(10));
        } finally {
            release.countDown();
        }
    }

    @Test
    void anOriginThatFailsDuringTheUploadGivesA502NotAClosedClient() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.startRaw((head, in, out) -> {
            in.readNBytes(1000); // part of the body, then the connection breaks
            throw new java.io.IOException("origin gives up");
        }); ProxyFixture proxy = ProxyFixture.plain(origin.url());
             io.gatehouse.server.testing.RawConnection raw = proxy.raw()) {
            int size = 4 * 1024 * 1024;
            raw.send("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
            java.util.concurrent.CompletableFuture<Void> upload = java.util.concurrent.CompletableFuture.runAsync(() -> {
                String chunk = "x".repeat(64 * 1024);
                for (int sent = 0; sent < size; sent += chunk.length()) {
                    raw.send(chunk);
                }
            });

            String response = raw.readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 502");
            upload.handle((done, failure) -> null).get(10, TimeUnit.SECONDS); // the upload may end either way
        }
    }

    @Test
    void aStalePooledConnectionIsRetriedOnANewOne() {
        try (ScriptedOrigin origin = ScriptedOrigin.startRaw(OriginFailureIntegrationTest::answerOnceThenDropTheNextRequest);
             ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
            assertThat(proxy.get("/1").body()).isEqualTo("first");

            HttpResponse<String> second = proxy.get("/2");

            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("first");
            assertThat(origin.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void aPostIsNotRetried() {
        try (ScriptedOrigin origin = ScriptedOrigin.startRaw(OriginFailureIntegrationTest::answerOnceThenDropTheNextRequest);
             ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
            assertThat(proxy.get("/1").body()).isEqualTo("first");

            HttpResponse<String> post = proxy.send(HttpRequest.newBuilder(proxy.uri("/2"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build());

            assertThat(post.statusCode()).isEqualTo(502);
            assertThat(origin.connectionsAccepted()).isEqualTo(1);
        }
    }

    /** Answers the first request, reads the next one on the kept-alive connection, and drops it unanswered. */
    private static void answerOnceThenDropTheNextRequest(String head, java.io.InputStream in, java.io.OutputStream out)
            throws IOException {
        ScriptedOrigin.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
        StringBuilder next = new StringBuilder();
        int b;
        while (!next.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            next.append((char) b);
        }
    }
}
