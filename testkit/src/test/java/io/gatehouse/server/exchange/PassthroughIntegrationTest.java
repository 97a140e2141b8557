package io.gatehouse.server.exchange;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain proxy (no filters) in front of real origins: what passes through, unchanged or adjusted. */
class PassthroughIntegrationTest {

    private static TestOrigin echoOrigin() {
        return TestOrigin.start(request -> Reply.ok(request.method() + " " + request.target() + " " + request.bodyText())
                .header("X-Origin-Custom", "kept")
                .header("Keep-Alive", "timeout=5")
                .header("Connection", "X-Hop")
                .header("X-Hop", "must-not-pass"));
    }

    private static EmbeddedGatehouse plain(TestOrigin origin) {
        return EmbeddedGatehouse.builder().upstream(origin).start();
    }

    @Test
    void getReachesTheOriginAndTheAnswerComesBack() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin)) {
            HttpResponse<String> response = proxy.get("/a/b?c=d%20e");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /a/b?c=d%20e ");
            assertThat(response.headers().firstValue("X-Origin-Custom")).hasValue("kept");
            assertThat(response.headers().firstValue("Via")).hasValue("1.1 gatehouse");
            assertThat(response.headers().firstValue("X-Hop")).isEmpty();
            assertThat(response.headers().firstValue("Keep-Alive")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "PROPFIND", "M-SEARCH"})
    void everyMethodAndItsBodyPassThrough(String method) {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin)) {
            HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/m"))
                    .method(method, HttpRequest.BodyPublishers.ofString("payload-" + method)).build());

            assertThat(response.body()).isEqualTo(method + " /m payload-" + method);
        }
    }

    @Test
    void headKeepsTheLengthButSendsNoBody() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin);
             RawConnection raw = proxy.raw()) {
            String response = raw.send("HEAD /x HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 200");
            assertThat(response.toLowerCase()).contains("content-length: 8");
            assertThat(response).endsWith("\r\n\r\n");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204, 299, 304, 400, 404, 418, 499, 500, 503, 599})
    void statusCodesPassUnchanged(int status) {
        try (TestOrigin origin = TestOrigin.start(status == 204 || status == 304 ? Reply.status(status) : Reply.text(status, "status " + status));
             EmbeddedGatehouse proxy = plain(origin); RawConnection raw = proxy.raw()) {
            String response = raw.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 " + status);
            if (status != 204 && status != 304) {
                assertThat(response).endsWith("status " + status);
            } else {
                assertThat(response).endsWith("\r\n\r\n");
            }
        }
    }

    @Test
    void unknownRequestHeadersPassAndHopByHopOnesDoNot() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin);
             RawConnection raw = proxy.raw()) {
            raw.send("GET /h HTTP/1.1\r\nHost: example.com\r\nX-Custom: 1\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: hidden\r\nUpgrade: h2c\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\n\r\n").readResponse();

            ReceivedRequest received = origin.lastRequest();
            assertThat(received.header("X-Custom")).hasValue("1");
            assertThat(received.header("Host")).hasValue("example.com");
            assertThat(received.headers().contains("X-Secret")).isFalse();
            assertThat(received.headers().contains("Upgrade")).isFalse();
            assertThat(received.headers().contains("TE")).isFalse();
            assertThat(received.headers().contains("Proxy-Connection")).isFalse();
            assertThat(received.header("Via")).hasValue("1.1 gatehouse");
        }
    }

    @Test
    void originConnectionsAreReused() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin)) {
            for (int i = 0; i < 50; i++) {
                assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
            }

            assertThat(origin.requests()).hasSize(50);
            assertThat(origin.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void chunkedRequestBodyReachesTheOriginWhole() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin);
             RawConnection raw = proxy.raw()) {
            String response = raw.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("POST /up hello world");
            assertThat(origin.lastRequest().header("Transfer-Encoding")).hasValue("chunked");
        }
    }

    @Test
    void chunkedResponseWithTrailersReachesTheClient() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("streamed body").trailer("X-Checksum", "abc123"));
             EmbeddedGatehouse proxy = plain(origin); RawConnection raw = proxy.raw()) {
            String response = raw.send("GET /t HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n").readResponse();

            assertThat(response.toLowerCase()).contains("transfer-encoding: chunked");
            assertThat(response).contains("streamed body").contains("[trailer X-Checksum: abc123]");
        }
    }

    @Test
    void expectContinueIsAnsweredAndTheBodyForwarded() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin);
             RawConnection raw = proxy.raw()) {
            raw.send("PUT /c HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            String interim = raw.readResponse();
            assertThat(interim).startsWith("HTTP/1.1 100");

            String response = raw.send("data").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("PUT /c data");
            assertThat(origin.lastRequest().headers().contains("Expect")).isFalse();
        }
    }

    @Test
    void interimResponsesAreRelayed() {
        try (TestOrigin origin = TestOrigin.start(Reply.raw(
                "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 102 Processing\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             EmbeddedGatehouse proxy = plain(origin); RawConnection raw = proxy.raw()) {
            raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(raw.readResponse()).startsWith("HTTP/1.1 103").contains("Link: </style.css>; rel=preload");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 102");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").endsWith("ok");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin);
             RawConnection raw = proxy.raw()) {
            raw.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(raw.readResponse()).endsWith("GET /1 ");
            assertThat(raw.readResponse()).endsWith("GET /2 ");
            assertThat(raw.readResponse()).endsWith("GET /3 ");
        }
    }

    @Test
    void doubleSlashPathStaysAPath() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = plain(origin); RawConnection raw = proxy.raw()) {
            raw.send("GET //evil.example/x HTTP/1.1\r\nHost: good.example\r\n\r\n").readResponse();

            // a path, never an authority; in normal form, its slashes merged (docs/configuration.md#request-paths)
            assertThat(origin.lastRequest().head()).startsWith("GET /evil.example/x HTTP/1.1\r\n").contains("\r\nHost: good.example\r\n");
        }
    }

    @Test
    void absoluteFormTargetSetsTheHost() {
        try (TestOrigin origin = echoOrigin(); EmbeddedGatehouse proxy = plain(origin);
             RawConnection raw = proxy.raw()) {
            String response = raw.send("GET http://real.example/p?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n").readResponse();

            assertThat(response).endsWith("GET /p?q=1 ");
            assertThat(origin.lastRequest().header("Host")).hasValue("real.example");
        }
    }

    @Test
    void hostIsRewrittenWhenNotPreserved() {
        try (TestOrigin origin = echoOrigin();
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  forwarding: { preserve-host: false }\n").start()) {
            proxy.send(HttpRequest.newBuilder(proxy.uri("/")).timeout(Duration.ofSeconds(10)).build());

            assertThat(origin.lastRequest().header("Host")).hasValue("127.0.0.1:" + origin.port());
        }
    }

    @Test
    void requestTrailersReachTheOrigin() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok")); EmbeddedGatehouse proxy = plain(origin); RawConnection raw = proxy.raw()) {
            String response = raw.send("POST /t HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                    + "4\r\ndata\r\n0\r\nX-Sum: 42\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok");
            ReceivedRequest received = origin.lastRequest();
            assertThat(received.bodyText()).isEqualTo("data");
            assertThat(received.trailers().first("X-Sum")).hasValue("42");
            assertThat(received.header("Transfer-Encoding")).hasValue("chunked");
        }
    }
}
