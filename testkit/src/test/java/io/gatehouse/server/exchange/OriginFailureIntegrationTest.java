package io.gatehouse.server.exchange;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
        try (EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream("http://127.0.0.1:" + closedPort).start()) {
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
        try (TestOrigin origin = TestOrigin.start(Reply.ok("too late").holdUntil(release));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config("server:\n  timeouts: { response: 1s }\n").start()) {
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
        try (TestOrigin origin = TestOrigin.start(Reply.raw(exchange -> {
            exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nfirst");
            try {
                new CountDownLatch(1).await(1200, TimeUnit.MILLISECONDS); // the origin pauses mid-body
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.write("-last");
        })); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                .config("server:\n  timeouts: { connect: 300ms, response: 5s }\n").start()) {
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
        try (TestOrigin origin = TestOrigin.start(Reply.raw(reply));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).doesNotContain("hello").doesNotContain("Exception");
        }
    }

    @Test
    void originFailingMidBodyAbortsTheClientConnection() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("x".repeat(1000)).breakOffAfter(100));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            assertThatThrownBy(() -> proxy.client().send(HttpRequest.newBuilder(proxy.uri("/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void originFailingMidChunkedBodyNeverLooksComplete() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("hello world").chunked().breakOffAfter(5));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start(); RawConnection raw = proxy.raw()) {
            String received = raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 200").doesNotContain("\r\n0\r\n\r\n");
        }
    }

    @Test
    void noUpstreamConfiguredGives502() {
        try (EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().config("filters: []\n").start()) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("no upstream");
        }
    }

    @Test
    void originConnectionWithUnreadBytesIsNeverReused() {
        CountDownLatch release = new CountDownLatch(1);
        try (TestOrigin origin = TestOrigin.start(Reply.raw(exchange -> {
            exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
            try {
                release.await(20, TimeUnit.SECONDS); // keep the connection open with the extra bytes sent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
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
        try (TestOrigin origin = TestOrigin.start(Reply.raw(exchange -> {
            exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nslow");
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                .config("server:\n  io-threads: 1\n  upstream-pool: { max-per-route: 1 }\n  timeouts: { connect: 500ms }\n").start()) {
            java.util.concurrent.CompletableFuture<HttpResponse<String>> holder = proxy.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/hold")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            origin.awaitRequests(1, Duration.ofSeconds(5));
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
        try (TestOrigin origin = TestOrigin.start(Reply.raw(exchange -> {
            exchange.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\nnope");
            try {
                release.await(20, TimeUnit.SECONDS); // never reads the body
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start();
             RawConnection raw = proxy.raw()) {
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
        try (TestOrigin origin = TestOrigin.start(Reply.raw(exchange -> {
            exchange.body().readNBytes(1000); // part of the body, then the connection breaks
            throw new IOException("origin gives up");
        })); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start();
             RawConnection raw = proxy.raw()) {
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
        try (TestOrigin origin = answerOnceThenDropTheNextRequest();
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            assertThat(proxy.get("/1").body()).isEqualTo("first");

            HttpResponse<String> second = proxy.get("/2");

            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("first");
            assertThat(origin.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void aPostIsNotRetried() {
        try (TestOrigin origin = answerOnceThenDropTheNextRequest();
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            assertThat(proxy.get("/1").body()).isEqualTo("first");

            HttpResponse<String> post = proxy.send(HttpRequest.newBuilder(proxy.uri("/2"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build());

            assertThat(post.statusCode()).isEqualTo(502);
            assertThat(origin.connectionsAccepted()).isEqualTo(1);
        }
    }

    /** Answers the first request of each connection, and drops the connection at the next one, unanswered. */
    private static TestOrigin answerOnceThenDropTheNextRequest() {
        Set<Integer> answered = ConcurrentHashMap.newKeySet();
        return TestOrigin.start(request -> answered.add(request.connection()) ? Reply.ok("first") : Reply.drop());
    }
}
