package io.gatehouse.server.exchange;

import io.gatehouse.server.testing.ProxyFixture;
import io.gatehouse.server.testing.RawConnection;
import io.gatehouse.server.testing.ScriptedOrigin;
import io.gatehouse.server.testing.TestOrigin;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.HttpEntities;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicHeader;
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
        return TestOrigin.start((request, response, context) -> {
            String body = request.getEntity() == null ? "" : EntityUtils.toString(request.getEntity());
            response.setCode(200);
            response.addHeader("X-Origin-Custom", "kept");
            response.addHeader("Keep-Alive", "timeout=5");
            response.addHeader("Connection", "X-Hop");
            response.addHeader("X-Hop", "must-not-pass");
            response.setEntity(new StringEntity(request.getMethod() + " " + request.getPath() + " " + body, ContentType.TEXT_PLAIN));
        });
    }

    @Test
    void getReachesTheOriginAndTheAnswerComesBack() {
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
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
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
            HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/m"))
                    .method(method, HttpRequest.BodyPublishers.ofString("payload-" + method)).build());

            assertThat(response.body()).isEqualTo(method + " /m payload-" + method);
        }
    }

    @Test
    void headKeepsTheLengthButSendsNoBody() {
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url());
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
        try (TestOrigin origin = TestOrigin.start((request, response, context) -> {
            response.setCode(status);
            if (status != 204 && status != 304) {
                response.setEntity(new StringEntity("status " + status));
            }
        }); ProxyFixture proxy = ProxyFixture.plain(origin.url()); RawConnection raw = proxy.raw()) {
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
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url());
             RawConnection raw = proxy.raw()) {
            raw.send("GET /h HTTP/1.1\r\nHost: example.com\r\nX-Custom: 1\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: hidden\r\nUpgrade: h2c\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\n\r\n").readResponse();

            var received = origin.lastRequest();
            assertThat(received.getFirstHeader("X-Custom").getValue()).isEqualTo("1");
            assertThat(received.getFirstHeader("Host").getValue()).isEqualTo("example.com");
            assertThat(received.containsHeader("X-Secret")).isFalse();
            assertThat(received.containsHeader("Upgrade")).isFalse();
            assertThat(received.containsHeader("TE")).isFalse();
            assertThat(received.containsHeader("Proxy-Connection")).isFalse();
            assertThat(received.getFirstHeader("Via").getValue()).isEqualTo("1.1 gatehouse");
        }
    }

    @Test
    void originConnectionsAreReused() {
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url())) {
            for (int i = 0; i < 50; i++) {
                assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
            }

            assertThat(origin.requests()).hasSize(50);
            assertThat(origin.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void chunkedRequestBodyReachesTheOriginWhole() {
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url());
             RawConnection raw = proxy.raw()) {
            String response = raw.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("POST /up hello world");
            assertThat(origin.lastRequest().getFirstHeader("Transfer-Encoding").getValue()).isEqualTo("chunked");
        }
    }

    @Test
    void chunkedResponseWithTrailersReachesTheClient() {
        try (TestOrigin origin = TestOrigin.start((request, response, context) -> {
            response.setCode(200);
            response.setEntity(HttpEntities.create("streamed body", ContentType.TEXT_PLAIN, new BasicHeader("X-Checksum", "abc123")));
        }); ProxyFixture proxy = ProxyFixture.plain(origin.url()); RawConnection raw = proxy.raw()) {
            String response = raw.send("GET /t HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n").readResponse();

            assertThat(response.toLowerCase()).contains("transfer-encoding: chunked");
            assertThat(response).contains("streamed body").contains("[trailer X-Checksum: abc123]");
        }
    }

    @Test
    void expectContinueIsAnsweredAndTheBodyForwarded() {
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url());
             RawConnection raw = proxy.raw()) {
            raw.send("PUT /c HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            String interim = raw.readResponse();
            assertThat(interim).startsWith("HTTP/1.1 100");

            String response = raw.send("data").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("PUT /c data");
            assertThat(origin.lastRequest().containsHeader("Expect")).isFalse();
        }
    }

    @Test
    void interimResponsesAreRelayed() {
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> ScriptedOrigin.write(out,
                "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 102 Processing\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             ProxyFixture proxy = ProxyFixture.plain(origin.url()); RawConnection raw = proxy.raw()) {
            raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(raw.readResponse()).startsWith("HTTP/1.1 103").contains("Link: </style.css>; rel=preload");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 102");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").endsWith("ok");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url());
             RawConnection raw = proxy.raw()) {
            raw.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(raw.readResponse()).endsWith("GET /1 ");
            assertThat(raw.readResponse()).endsWith("GET /2 ");
            assertThat(raw.readResponse()).endsWith("GET /3 ");
        }
    }

    @Test
    void doubleSlashPathStaysAPath() {
        try (ScriptedOrigin origin = ScriptedOrigin.start((head, out) -> ScriptedOrigin.write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             ProxyFixture proxy = ProxyFixture.plain(origin.url()); RawConnection raw = proxy.raw()) {
            raw.send("GET //evil.example/x HTTP/1.1\r\nHost: good.example\r\n\r\n").readResponse();

            assertThat(origin.heads().get(0)).startsWith("GET //evil.example/x HTTP/1.1\r\n").contains("\r\nHost: good.example\r\n");
        }
    }

    @Test
    void absoluteFormTargetSetsTheHost() {
        try (TestOrigin origin = echoOrigin(); ProxyFixture proxy = ProxyFixture.plain(origin.url());
             RawConnection raw = proxy.raw()) {
            String response = raw.send("GET http://real.example/p?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n").readResponse();

            assertThat(response).endsWith("GET /p?q=1 ");
            assertThat(origin.lastRequest().getFirstHeader("Host").getValue()).isEqualTo("real.example");
        }
    }

    @Test
    void hostIsRewrittenWhenNotPreserved() {
        try (TestOrigin origin = echoOrigin();
             ProxyFixture proxy = ProxyFixture.start("server:\n  upstream: " + origin.url()
                     + "\n  forwarding: { preserve-host: false }\n", java.util.List.of())) {
            proxy.send(HttpRequest.newBuilder(proxy.uri("/")).timeout(Duration.ofSeconds(10)).build());

            assertThat(origin.lastRequest().getFirstHeader("Host").getValue()).isEqualTo("127.0.0.1:" + origin.port());
        }
    }

    @Test
    void requestTrailersReachTheOrigin() {
        java.util.concurrent.CompletableFuture<String> body = new java.util.concurrent.CompletableFuture<>();
        try (ScriptedOrigin origin = ScriptedOrigin.startRaw((head, in, out) -> {
            StringBuilder received = new StringBuilder();
            while (!received.toString().endsWith("\r\n\r\n") || received.indexOf("0\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                received.append((char) b);
            }
            body.complete(received.toString());
            ScriptedOrigin.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }); ProxyFixture proxy = ProxyFixture.plain(origin.url()); RawConnection raw = proxy.raw()) {
            String response = raw.send("POST /t HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                    + "4\r\ndata\r\n0\r\nX-Sum: 42\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok");
            assertThat(body.join()).contains("data").contains("X-Sum: 42\r\n");
            assertThat(origin.heads().get(0)).contains("Transfer-Encoding: chunked");
        }
    }
}
