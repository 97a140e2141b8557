package io.gatehouse.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The origin on its own, spoken to directly with a JDK client and raw sockets. */
class TestOriginTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TestOrigin origin;

    @AfterEach
    void close() {
        if (origin != null) {
            origin.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(origin.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void byDefaultItSaysWhatItSawAndRecordsIt() throws Exception {
        origin = TestOrigin.start();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(origin.uri("/a/b?c=d"))
                .header("X-Team", "payments").POST(HttpRequest.BodyPublishers.ofString("payload")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("origin saw POST /a/b?c=d");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        ReceivedRequest received = origin.lastRequest();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.target()).isEqualTo("/a/b?c=d");
        assertThat(received.path()).isEqualTo("/a/b");
        assertThat(received.query()).hasValue("c=d");
        assertThat(received.header("x-team")).hasValue("payments");
        assertThat(received.bodyText()).isEqualTo("payload");
        assertThat(received.bodyLength()).isEqualTo(7);
        assertThat(received.number()).isEqualTo(1);
        assertThat(received.head()).startsWith("POST /a/b?c=d HTTP/1.1\r\n").endsWith("\r\n\r\n");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void lastRequestWithoutAnyIsAnError() {
        origin = TestOrigin.start();

        assertThatThrownBy(origin::lastRequest).isInstanceOf(IllegalStateException.class).hasMessageContaining("no request");
    }

    @Test
    void answersAreScriptedPerPathExactBeforeTheLongestPrefixBeforeTheDefault() throws Exception {
        origin = TestOrigin.start(Reply.ok("default"))
                .answer("/img/*", Reply.ok("images"))
                .answer("/img/icons/*", Reply.ok("icons"))
                .answer("/img/logo.png", Reply.status(204))
                .answer("/echo", request -> Reply.text(201, "echo " + request.bodyText()).header("X-Seen", request.method()));

        assertThat(get("/other").body()).isEqualTo("default");
        assertThat(get("/img/a.png").body()).isEqualTo("images");
        assertThat(get("/img/icons/x.svg?size=2").body()).isEqualTo("icons");
        assertThat(get("/img/logo.png").statusCode()).isEqualTo(204);
        HttpResponse<String> echo = client.send(HttpRequest.newBuilder(origin.uri("/echo"))
                .PUT(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echo.statusCode()).isEqualTo(201);
        assertThat(echo.body()).isEqualTo("echo hi");
        assertThat(echo.headers().firstValue("X-Seen")).hasValue("PUT");

        assertThat(origin.requestCount("/img/a.png")).isEqualTo(1);
        assertThat(origin.requests("/echo")).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("PUT"));
        assertThat(origin.requestCount(r -> r.path().startsWith("/img/"))).isEqualTo(3);
        assertThat(origin.requests()).extracting(ReceivedRequest::number).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void keepAliveConnectionsAreReusedAndCounted() throws Exception {
        origin = TestOrigin.start();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/" + i).statusCode()).isEqualTo(200);
        }

        assertThat(origin.connectionsAccepted()).isEqualTo(1);
        assertThat(origin.requests()).extracting(ReceivedRequest::connection).containsOnly(1);
    }

    @Test
    void chunkedRequestBodiesAndTheirTrailersAreRecorded() {
        origin = TestOrigin.start();
        try (RawConnection raw = RawConnection.open(origin.port())) {
            String response = raw.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("origin saw POST /up");
        }
        assertThat(origin.lastRequest().bodyText()).isEqualTo("hello world");
        assertThat(origin.lastRequest().trailers().first("x-sum")).hasValue("42");
    }

    @Test
    void aChunkedReplyCarriesItsTrailers() {
        origin = TestOrigin.start(Reply.ok("streamed body").trailer("X-Checksum", "abc123"));
        try (RawConnection raw = RawConnection.open(origin.port())) {
            String response = raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();

            assertThat(response.toLowerCase()).contains("transfer-encoding: chunked").doesNotContain("content-length");
            assertThat(response).endsWith("streamed body[trailer X-Checksum: abc123]");
        }
    }

    @Test
    void aHeadRequestGetsTheLengthButNoBody() {
        origin = TestOrigin.start(Reply.ok("12345678"));
        try (RawConnection raw = RawConnection.open(origin.port())) {
            raw.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.readHead()).contains("Content-Length: 8\r\n");
            String next = raw.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClose();
            assertThat(next).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close").endsWith("12345678");
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsRead() {
        origin = TestOrigin.start(request -> Reply.ok("got " + request.bodyText()));
        try (RawConnection raw = RawConnection.open(origin.port())) {
            raw.send("PUT /c HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 100");
            assertThat(raw.send("data").readResponse()).endsWith("got data");
        }
    }

    @Test
    void aLargeBodyIsStreamedAndARecordedOneIsCapped() throws Exception {
        long size = ReceivedRequest.RECORDED_BODY_LIMIT + 10L;
        origin = TestOrigin.start(Reply.status(200).body(size, () -> new ByteArrayInputStream(new byte[(int) size])));

        HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(origin.uri("/big")).build(), HttpResponse.BodyHandlers.ofByteArray());
        client.send(HttpRequest.newBuilder(origin.uri("/up")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) size])).build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(download.body()).hasSize((int) size);
        assertThat(origin.lastRequest().bodyLength()).isEqualTo(size);
        assertThat(origin.lastRequest().body()).hasSize(ReceivedRequest.RECORDED_BODY_LIMIT);
    }

    @Test
    void aHeldReplyWaitsForItsLatchAfterTheRequestWasRecorded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        origin = TestOrigin.start(Reply.ok("released").holdUntil(release));

        CompletableFuture<HttpResponse<String>> held = client.sendAsync(HttpRequest.newBuilder(origin.uri("/held")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(origin.awaitRequests(1, Duration.ofSeconds(10))).singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/held"));
        assertThat(held).isNotDone();
        release.countDown();

        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
    }

    @Test
    void awaitingRequestsThatDoNotComeFailsAfterTheTimeout() {
        origin = TestOrigin.start();

        assertThatThrownBy(() -> origin.awaitRequests(1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("received 0 of 1 requests");
    }

    @Test
    void aDelayedReplyComesNoEarlierThanItsDelay() throws Exception {
        origin = TestOrigin.start(Reply.ok("late").delay(Duration.ofMillis(300)));
        long start = System.nanoTime();

        assertThat(get("/").body()).isEqualTo("late");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void closingTheOriginEndsHeldReplies() throws Exception {
        origin = TestOrigin.start(Reply.ok("never").holdUntil(new CountDownLatch(1)));
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(HttpRequest.newBuilder(origin.uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        origin.awaitRequests(1, Duration.ofSeconds(10));

        origin.close();

        assertThat(held).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void aReplyBrokenOffMidBodyNeverLooksComplete() {
        origin = TestOrigin.start(Reply.ok("x".repeat(1000)).breakOffAfter(100));
        try (RawConnection raw = RawConnection.open(origin.port())) {
            String received = raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 1000\r\n")
                    .endsWith("\r\n\r\n" + "x".repeat(100));
        }
    }

    @Test
    void dropAndResetCloseTheConnectionWithoutAnAnswer() {
        origin = TestOrigin.start(Reply.drop()).answer("/reset", Reply.reset());
        try (RawConnection raw = RawConnection.open(origin.port())) {
            assertThat(raw.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc").readUntilClose()).isEmpty();
        }
        try (RawConnection raw = RawConnection.open(origin.port())) {
            assertThat(raw.send("GET /reset HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose()).isEmpty();
        }
        assertThat(origin.requests()).extracting(ReceivedRequest::path).containsExactly("/", "/reset");
        assertThat(origin.requests().get(0).bodyText()).isEqualTo("abc");
    }

    @Test
    void rawRepliesSendBytesNoWellBehavedOriginWould() {
        origin = TestOrigin.start(Reply.raw("HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok"))
                .answer("/upload", Reply.raw(exchange -> {
                    byte[] body = exchange.body().readAllBytes();
                    exchange.write("HTTP/1.1 201 Created\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .write(new String(body, StandardCharsets.ISO_8859_1));
                }));
        try (RawConnection raw = RawConnection.open(origin.port())) {
            assertThat(raw.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc").readUntilClose())
                    .isEqualTo("HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok");
        }
        try (RawConnection raw = RawConnection.open(origin.port())) {
            assertThat(raw.send("PUT /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n")
                    .readUntilClose()).isEqualTo("HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nxyz");
        }
        assertThat(origin.requests("/upload")).singleElement().satisfies(r -> {
            assertThat(r.header("Transfer-Encoding")).hasValue("chunked");
            assertThat(r.bodyLength()).as("a raw reply reads the body itself").isZero();
        });
    }

    @Test
    void aFailingScriptAnswers500() throws Exception {
        origin = TestOrigin.start(request -> {
            throw new IllegalStateException("script bug");
        });

        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("script bug");
    }

    @Test
    void aKilledOriginRefusesConnectionsAndARevivedOneAnswersOnTheSamePort() throws Exception {
        origin = TestOrigin.start();
        int port = origin.port();
        assertThat(get("/before").statusCode()).isEqualTo(200);

        origin.kill();
        // no HTTP answer while killed (a raw connect may even succeed: Linux can connect a socket to
        // itself when the freed port is picked as its own source port, so check an exchange instead)
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(origin.uri("/during")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        origin.revive();

        assertThat(origin.port()).isEqualTo(port);
        // a new client: the shared one may still hold the connection that kill() closed
        assertThat(fresh.send(HttpRequest.newBuilder(origin.uri("/after")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("origin saw GET /after");
        assertThat(origin.requests()).extracting(ReceivedRequest::path).containsExactly("/before", "/after");
        assertThat(origin.connectionsAccepted()).as("a new connection after revive").isGreaterThanOrEqualTo(2);
        assertThatThrownBy(origin::revive).isInstanceOf(IllegalStateException.class).hasMessageContaining("kill()");
    }

    @Test
    void repliesAreImmutableValues() {
        Reply base = Reply.ok("a");
        Reply changed = base.header("X-A", "1").delay(Duration.ofSeconds(1));

        assertThat(base.headers().contains("X-A")).isFalse();
        assertThat(base.delay()).isZero();
        assertThat(changed.headers().first("X-A")).hasValue("1");
        assertThatThrownBy(() -> Reply.status(42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.ok("a").delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        origin = TestOrigin.start();
        assertThatThrownBy(() -> origin.answer("no-slash", Reply.ok("x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
