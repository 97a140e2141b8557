package io.gatehouse.plugins.cors;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through a real proxy: preflights shaped as Chromium and Firefox send them are answered at the
 * edge and never reach the origin; actual requests reach it and come back with the CORS fields
 * and a merged {@code Vary}.
 */
class CorsIntegrationTest {

    static final String CONFIG = """
            filters:
              - type: cors
                when: { path-prefix: /api }
                config:
                  allow-origins: [ "https://app.example.com", "https://*.example.com" ]
                  allow-methods: [ GET, POST, PUT, DELETE ]
                  allow-headers: [ Content-Type, Authorization, X-Request-Id ]
                  expose-headers: [ X-Request-Id ]
                  allow-credentials: true
                  max-age: 2h
            """;

    static TestOrigin origin;
    static EmbeddedGatehouse gatehouse;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(Reply.ok("{\"id\":7}").header("Content-Type", "application/json").header("Vary", "Accept-Encoding"));
        gatehouse = EmbeddedGatehouse.builder().config(CONFIG).filters(new CorsFilterFactory()).upstream(origin).start();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
        origin.close();
    }

    private String host() {
        return "127.0.0.1:" + gatehouse.port();
    }

    @Test
    void browserPreflightsAreAnsweredAtTheEdgeOnOneKeptAliveConnection() {
        int before = origin.requestCount();
        try (RawConnection connection = gatehouse.raw().timeout(Duration.ofSeconds(10))) {
            String chromium = connection.send(BrowserPreflights.chromium("/api/orders/7", host(), "https://app.example.com", "PUT",
                    "authorization,content-type,x-request-id")).readResponse();
            String firefox = connection.send(BrowserPreflights.firefox("/api/orders/7", host(), "https://shop.example.com", "DELETE",
                    "authorization,x-request-id")).readResponse();
            String refused = connection.send(BrowserPreflights.chromium("/api/orders/7", host(), "https://evil.example.net", "PUT",
                    "content-type")).readResponse();

            assertThat(chromium).startsWith("HTTP/1.1 204 ")
                    .contains("\r\nAccess-Control-Allow-Origin: https://app.example.com\r\n",
                            "\r\nAccess-Control-Allow-Credentials: true\r\n",
                            "\r\nAccess-Control-Allow-Methods: GET, POST, PUT, DELETE\r\n",
                            "\r\nAccess-Control-Allow-Headers: Content-Type, Authorization, X-Request-Id\r\n",
                            "\r\nAccess-Control-Max-Age: 7200\r\n",
                            "\r\nVary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n");
            assertThat(firefox).startsWith("HTTP/1.1 204 ").contains("\r\nAccess-Control-Allow-Origin: https://shop.example.com\r\n");
            assertThat(refused).startsWith("HTTP/1.1 403 ").doesNotContain("Access-Control-Allow-Origin")
                    .endsWith("CORS preflight refused: origin not allowed\n");
        }
        assertThat(origin.requestCount()).as("no preflight reached the origin").isEqualTo(before);
    }

    @Test
    void anActualCrossOriginRequestReachesTheOriginAndComesBackReadable() {
        HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/api/orders/7")).timeout(Duration.ofSeconds(10))
                .header("Origin", "https://app.example.com").header("Sec-Fetch-Mode", "cors").build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":7}");
        assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly("https://app.example.com");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).contains("X-Request-Id");
        assertThat(response.headers().allValues("Vary")).containsExactly("Accept-Encoding, Origin");
        assertThat(origin.lastRequest().header("Origin")).contains("https://app.example.com");
    }

    @Test
    void aRequestFromAnotherOriginIsForwardedWithoutCorsFields() {
        HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/api/orders/7")).timeout(Duration.ofSeconds(10))
                .header("Origin", "https://evil.example.net").build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().allValues("Vary")).containsExactly("Accept-Encoding, Origin");
    }

    @Test
    void outsideItsRouteTheFilterDoesNothing() {
        int before = origin.requestCount();
        try (RawConnection connection = gatehouse.raw().timeout(Duration.ofSeconds(10))) {
            String answer = connection.send(BrowserPreflights.firefox("/static/app.js", host(), "https://app.example.com", "PUT",
                    "content-type")).readResponse();
            assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("Access-Control-Allow-Origin");
        }
        assertThat(origin.requestCount()).isEqualTo(before + 1);
    }
}
