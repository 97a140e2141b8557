package io.gatehouse.plugins.router;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real Gatehouse with the router in front of real origins. */
class RouterIntegrationTest {

    private static TestOrigin users;
    private static TestOrigin web;
    private static TestOrigin silent;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        users = TestOrigin.start(request -> Reply.ok("users saw " + request.target()));
        web = TestOrigin.start(request -> Reply.ok("web saw " + request.target() + " host " + request.header("Host").orElse("-")));
        silent = TestOrigin.start(Reply.ok("too late").holdUntil(RELEASE));
        proxy = EmbeddedGatehouse.builder().config("""
                admin:
                  listen: 127.0.0.1:0
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: users, host: api.example.com, path-prefix: /users, strip-prefix: true, add-prefix: /v2, upstream: "%s" }
                        - { name: slow, path-prefix: /slow, upstream: "%s", timeout: 300ms }
                      default: { upstream: "%s", host-rewrite: web.internal }
                  - type: mark
                    name: users-only
                    when: { route: users }
                    config: { label: users-only }
                """.formatted(users.url(), silent.url(), web.url()))
                .filters(new RouterFilterFactory(), new MarkFilterFactory())
                .start();
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        proxy.close();
        silent.close();
        users.close();
        web.close();
    }

    @Test
    void requestsReachTheOriginOfTheirRouteWithTheRewrittenPath() throws Exception {
        try (RawConnection raw = proxy.raw()) {
            String answer = raw.send("GET /users/42?full=1 HTTP/1.1\r\nHost: API.example.com:8080\r\n\r\n").readResponse();
            assertThat(answer).startsWith("HTTP/1.1 200").contains("users saw /v2/42?full=1").contains("X-Trail: users-only");
        }
        try (RawConnection raw = proxy.raw()) {
            String answer = raw.send("GET /users/42 HTTP/1.1\r\nHost: www.example.com\r\n\r\n").readResponse();
            assertThat(answer).startsWith("HTTP/1.1 200").contains("web saw /users/42 host web.internal").doesNotContain("X-Trail");
        }
    }

    @Test
    void sneakyPathsAreNormalisedBeforeMatchingAndForwarding() throws Exception {
        try (RawConnection raw = proxy.raw()) {
            String answer = raw.send("GET /public/%2e%2e//users/./7 HTTP/1.1\r\nHost: api.example.com.\r\n\r\n").readResponse();
            assertThat(answer).startsWith("HTTP/1.1 200").contains("users saw /v2/7");
        }
        try (RawConnection raw = proxy.raw()) {
            String answer = raw.send("GET /users%2f7 HTTP/1.1\r\nHost: api.example.com\r\n\r\n").readResponse();
            assertThat(answer).startsWith("HTTP/1.1 400").contains("encoded slash");
        }
        try (RawConnection raw = proxy.raw()) {
            String answer = raw.send("GET /../etc/passwd HTTP/1.1\r\nHost: api.example.com\r\n\r\n").readResponse();
            assertThat(answer).startsWith("HTTP/1.1 400").contains("climbs above the root");
        }
        assertThat(users.requests()).noneMatch(r -> r.target().contains("%2f") || r.target().contains(".."));
    }

    @Test
    void aRouteTimeoutOverridesTheServersResponseTimeout() {
        long start = System.nanoTime();
        HttpResponse<String> response = proxy.get("/slow/x");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(millis).as("answered after the route's 300ms, long before the server's 30s").isBetween(250L, 10_000L);
    }

    @Test
    void aRouteToAClusterNoFilterServesStopsStartUp() {
        assertThatThrownBy(() -> EmbeddedGatehouse.builder().config("""
                filters:
                  - type: router
                    config:
                      routes: [ { name: clustered, path-prefix: /clustered, cluster: nowhere } ]
                """).filters(new RouterFilterFactory()).start())
                .isInstanceOf(io.gatehouse.api.ConfigException.class)
                .hasMessage("filters[0].config.routes[0].cluster: no load balancer serves a cluster named \"nowhere\" (clusters served: none)");
    }

    @Test
    void theAdminEndpointExplainsARequest() throws Exception {
        String url = URLEncoder.encode("http://API.example.com/a/../users/9", StandardCharsets.UTF_8);
        URI explain = proxy.adminUri("/explain?method=GET&url=" + url);
        HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(explain).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines()).contains(
                "filter 0 router#0 (router): runs",
                "  route users [host api.example.com, path-prefix /users]: matches",
                "filter 1 users-only (mark): runs",
                "upstream: chosen by a filter");
        assertThat(response.body()).contains("result: route users, cluster (none), origin target /v2/9");

        String other = URLEncoder.encode("http://www.example.com/x", StandardCharsets.UTF_8);
        String body = proxy.client().send(HttpRequest.newBuilder(URI.create(explain.toString().replaceFirst("url=.*", "url=" + other))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("no route matches: default route default", "filter 1 users-only (mark): skipped, its when: does not hold",
                "Host web.internal");
    }
}
