package io.gatehouse.plugins.requestlimits;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through a real proxy, on raw connections so that the exact framing is sent: requests over a
 * route's limits are answered by the proxy and never reach the origin, other routes keep the
 * server's limits.
 */
class RequestLimitsIntegrationTest {

    static TestOrigin origin;
    static EmbeddedGatehouse gatehouse;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start();
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: request-limits
                    when: { path-prefix: /upload }
                    config: { max-body: 100B, methods: [ POST, PUT ], required-headers: [ X-Tenant ] }
                """).filters(new RequestLimitsFilterFactory()).upstream(origin).start();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
        origin.close();
    }

    private String exchange(String request) {
        try (RawConnection connection = gatehouse.raw().timeout(Duration.ofSeconds(10))) {
            return connection.send(request).readResponse();
        }
    }

    private static String post(String path, String framing, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: gatehouse.test\r\nX-Tenant: acme\r\n" + framing + "\r\n" + body;
    }

    @Test
    void aBodyOverTheRoutesLimitGets413AndTheOriginSeesNothing() {
        int before = origin.requestCount();
        String body = "x".repeat(101);
        String answer = exchange(post("/upload/a", "Content-Length: 101\r\n", body));

        assertThat(answer).startsWith("HTTP/1.1 413 ").endsWith("request body larger than 100 bytes\n");
        assertThat(origin.requestCount()).isEqualTo(before);
        assertThat(exchange(post("/elsewhere", "Content-Length: 101\r\n", body))).as("other routes: the server's limit")
                .startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aBodyWithinTheLimitReachesTheOrigin() {
        String answer = exchange(post("/upload/b", "Content-Length: 100\r\n", "y".repeat(100)));

        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(origin.lastRequest().bodyText()).isEqualTo("y".repeat(100));
    }

    @Test
    void aChunkedBodyGets411AndTheOriginSeesNothing() {
        int before = origin.requestCount();
        String answer = exchange(post("/upload/c", "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"));

        assertThat(answer).startsWith("HTTP/1.1 411 ").endsWith("a request body needs a Content-Length here\n");
        assertThat(origin.requestCount()).isEqualTo(before);
    }

    @Test
    void aWrongMethodGets405WithAllowAndAMissingHeader400() {
        int before = origin.requestCount();
        String wrongMethod = exchange("DELETE /upload/d HTTP/1.1\r\nHost: gatehouse.test\r\nX-Tenant: acme\r\n\r\n");
        String noTenant = exchange("PUT /upload/d HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Length: 2\r\n\r\nok");

        assertThat(wrongMethod).startsWith("HTTP/1.1 405 ").contains("\r\nAllow: POST, PUT\r\n");
        assertThat(noTenant).startsWith("HTTP/1.1 400 ").endsWith("missing required header X-Tenant\n");
        assertThat(origin.requestCount()).isEqualTo(before);
    }
}
