package io.gatehouse.server.exchange;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input from clients gets a clear error and a closed connection, and is never forwarded:
 * the origin's request count stays at zero.
 */
class MalformedRequestIntegrationTest {

    private static TestOrigin origin;
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(Reply.ok("reached"));
        proxy = EmbeddedGatehouse.builder().upstream(origin).config("server:\n"
                + "  limits: { request-line: 1KiB, headers: 4KiB, body: 1KiB }\n"
                + "  timeouts: { request-head: 1s }\n").start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    static Stream<Arguments> refused() {
        String longTarget = "/" + "a".repeat(2000);
        String manyHeaders = "X-Filler: " + "b".repeat(1000) + "\r\n";
        return Stream.of(
                Arguments.of("both Content-Length and Transfer-Encoding",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("invalid Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5x\r\n\r\nhello", 400),
                Arguments.of("signed Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400),
                Arguments.of("two Content-Lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
                Arguments.of("Transfer-Encoding not ending in chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
                Arguments.of("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("unsupported coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
                Arguments.of("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("bare LF", "GET / HTTP/1.1\nHost: a\n\n", 400),
                Arguments.of("bare CR", "GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 400),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n 2\r\n\r\n", 400),
                Arguments.of("whitespace before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
                Arguments.of("NUL in header", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\0b\r\n\r\n", 400),
                Arguments.of("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("HTTP/0.9", "GET /\r\n\r\n", 400),
                Arguments.of("garbage", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n", 400),
                Arguments.of("request line too long", "GET " + longTarget + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
                Arguments.of("headers too large", "GET / HTTP/1.1\r\nHost: a\r\n" + manyHeaders.repeat(5) + "\r\n", 431),
                Arguments.of("body over the limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n", 413),
                Arguments.of("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 405),
                Arguments.of("bad Expect", "POST / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx", 417),
                Arguments.of("fragment in the target", "GET /path#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("fragment after a query", "GET /p?q=1#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("fragment in an absolute target", "GET http://a/p#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("braces in a field name", "GET / HTTP/1.1\r\nHost: a\r\nBad{Name}: x\r\n\r\n", 400),
                Arguments.of("space in a field name", "GET / HTTP/1.1\r\nHost: a\r\nNa me: x\r\n\r\n", 400),
                Arguments.of("slash in a field name", "GET / HTTP/1.1\r\nHost: a\r\nA/B: x\r\n\r\n", 400),
                Arguments.of("quote in a field name", "GET / HTTP/1.1\r\nHost: a\r\nA\"B: x\r\n\r\n", 400),
                Arguments.of("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", 400),
                Arguments.of("non-ASCII field name", "GET / HTTP/1.1\r\nHost: a\r\nNa\u00e9me: x\r\n\r\n", 400),
                Arguments.of("control character in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n", 400),
                Arguments.of("escape in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: \u001b[31m\r\n\r\n", 400),
                Arguments.of("DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u007fb\r\n\r\n", 400),
                Arguments.of("bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("two spaces in the request line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("HTAB in the request line", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("port out of range in Host", "GET / HTTP/1.1\r\nHost: secret-host:99999\r\n\r\n", 400),
                Arguments.of("user info in Host", "GET / HTTP/1.1\r\nHost: secret-user@a\r\n\r\n", 400),
                Arguments.of("non-ASCII Host", "GET / HTTP/1.1\r\nHost: secret\u009b\u00ee:x\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedAndClosedWithoutForwarding(String problem, String request, int status) {
        int before = origin.requests().size();
        try (RawConnection raw = proxy.raw()) {
            String response = raw.send(request).readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 " + status + " ");
            assertThat(response.split("HTTP/1\\.1 \\d{3} ", -1)).as("exactly one response: %s", response).hasSize(2);
            assertThat(response.toLowerCase()).contains("connection: close");
            assertThat(response).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("aaaaaaaaaa")
                    .doesNotContain("Host : a").doesNotContain("secret");
        }
        assertThat(origin.requests()).hasSize(before);
    }

    static Stream<Arguments> refusedHeads() {
        return Stream.of(
                Arguments.of("fragment", "GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("invalid method", "G(T /a HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("invalid field name", "GET /a HTTP/1.1\r\nHost: a\r\nBad{Name}: x\r\n\r\n"),
                Arguments.of("control character in a value", "GET /a HTTP/1.1\r\nHost: a\r\nX: \u0001\r\n\r\n"),
                Arguments.of("missing Host", "GET /a HTTP/1.1\r\n\r\n"),
                Arguments.of("two Hosts", "GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("invalid Host", "GET /a HTTP/1.1\r\nHost: a:99999\r\n\r\n"),
                Arguments.of("ambiguous framing", "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"),
                Arguments.of("fragment with a body", "POST /a#frag HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"),
                Arguments.of("fragment with a chunked body",
                        "POST /a#frag HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedHeads")
    void nothingPipelinedAfterARefusedHeadIsForwarded(String problem, String refused) {
        int before = origin.requests().size();
        try (RawConnection raw = proxy.raw()) {
            String response = raw.send(refused + "GET /pipelined HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 400 ").contains("Connection: close");
            assertThat(response.split("HTTP/1\\.1 \\d{3} ", -1)).as("exactly one response: %s", response).hasSize(2);
        }
        assertThat(origin.requests()).hasSize(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByTheExchange")
    void nothingPipelinedAfterARequestRefusedByTheExchangeIsProcessed(String problem, String refused, int status) {
        int before = origin.requests().size();
        try (RawConnection raw = proxy.raw()) {
            String response = raw.send(refused + "GET /after-refusal HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 " + status + " ").contains("Connection: close");
            assertThat(response.split("HTTP/1\\.1 \\d{3} ", -1)).as("exactly one response: %s", response).hasSize(2);
        }
        assertThat(origin.requests()).hasSize(before);
    }

    static Stream<Arguments> refusedByTheExchange() {
        return Stream.of(
                Arguments.of("Expect other than 100-continue", "GET /x HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", 417),
                Arguments.of("Content-Length over the limit",
                        "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n" + "b".repeat(2000), 413),
                Arguments.of("path without a normal form", "GET /a/%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("path climbing above the root", "GET /../etc HTTP/1.1\r\nHost: a\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closingRequests")
    void nothingPipelinedAfterARequestThatClosesTheConnectionIsProcessed(String problem, String closing) {
        int before = origin.requests().size();
        try (RawConnection raw = proxy.raw()) {
            String response = raw.send(closing + "GET /after-close HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 200 ").contains("Connection: close");
            assertThat(response.split("HTTP/1\\.1 \\d{3} ", -1)).as("exactly one response: %s", response).hasSize(2);
        }
        assertThat(origin.requests()).hasSize(before + 1);
        assertThat(origin.lastRequest().path()).isEqualTo("/closing");
    }

    static Stream<Arguments> closingRequests() {
        return Stream.of(
                Arguments.of("Connection: close", "GET /closing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
                Arguments.of("HTTP/1.0", "GET /closing HTTP/1.0\r\nHost: a\r\n\r\n"),
                Arguments.of("close among other options", "GET /closing HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n"));
    }

    static Stream<Arguments> malformedChunkedBodies() {
        return Stream.of(
                Arguments.of("bare LF line ends", "5\nhello\n0\n\n"),
                Arguments.of("signed chunk size", "+5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("whitespace after the chunk size", "5 \r\nhello\r\n0\r\n\r\n"),
                Arguments.of("invalid chunk extension", "5;a b\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("bare CR in a trailer", "5\r\nhello\r\n0\r\nX-T: a\rb\r\n\r\n"),
                Arguments.of("invalid trailer name", "5\r\nhello\r\n0\r\nBad{Name}: x\r\n\r\n"),
                Arguments.of("control character in a trailer", "5\r\nhello\r\n0\r\nX-T: \u0001\r\n\r\n"),
                Arguments.of("obs-fold in trailers", "5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"),
                Arguments.of("Content-Length trailer", "5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChunkedBodies")
    void malformedChunkedBodiesGet400AndAreNeverForwardedWhole(String problem, String body) {
        int before = origin.requests().size();
        try (RawConnection raw = proxy.raw()) {
            String response = raw.send("POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
                    .readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 400 ").contains("malformed chunked body").contains("Connection: close");
        }
        assertThat(origin.requests()).hasSize(before);
    }

    @Test
    void badChunkSizeGets400AndTheOriginNeverGetsAWholeRequest() {
        java.util.List<String> bodiesSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TestOrigin reader = TestOrigin.start(Reply.raw(exchange -> {
            // read until the proxy gives up on this connection
            bodiesSeen.add(new String(exchange.input().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        })); EmbeddedGatehouse chunked = EmbeddedGatehouse.builder().upstream(reader).start(); RawConnection raw = chunked.raw()) {
            String response = raw.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\nzz\r\nmore\r\n0\r\n\r\n").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 400 ").contains("Connection: close").contains("malformed chunked body");
            assertThat(response.split("HTTP/1\\.1 \\d{3} ", -1)).hasSize(2);
            await().atMost(5, TimeUnit.SECONDS).until(() -> reader.requestCount() == bodiesSeen.size());
            assertThat(bodiesSeen).noneMatch(body -> body.contains("0\r\n\r\n"));
        }
    }

    @Test
    void chunkedBodyOverTheLimitIsRefused() {
        int before = origin.requests().size();
        try (RawConnection raw = proxy.raw()) {
            String chunk = "400\r\n" + "x".repeat(1024) + "\r\n";
            String response = raw.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n")
                    .readUntilClose();

            assertThat(response).satisfiesAnyOf(
                    r -> assertThat(r).startsWith("HTTP/1.1 413 "),
                    r -> assertThat(r).isEmpty());
        }
        assertThat(origin.requests().size() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void slowRequestHeadGets408() throws Exception {
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try (RawConnection raw = proxy.raw()) {
            raw.send("GET / HTTP/1.1\r\nHost: a\r\n");
            drip.scheduleAtFixedRate(() -> {
                try {
                    raw.send("X-Slow: 1\r\n");
                } catch (RuntimeException closed) {
                    drip.shutdown();
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            String response = raw.readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 408 ");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        } finally {
            drip.shutdownNow();
        }
    }

    @Test
    void stalledRequestHeadGets408() {
        try (RawConnection raw = proxy.raw()) {
            long start = System.nanoTime();
            String response = raw.send("GET / HTTP/1.1\r\nHost: a\r\nX-Half: ").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 408 ").contains("Connection: close");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 3_000L);
        }
    }

    @Test
    void aValidRequestStillWorksAfterAllThat() {
        assertThat(proxy.get("/fine").body()).isEqualTo("reached");
    }
}
