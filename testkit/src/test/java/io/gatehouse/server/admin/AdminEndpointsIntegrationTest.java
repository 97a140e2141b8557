package io.gatehouse.server.admin;

import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin listener of a running proxy. */
class AdminEndpointsIntegrationTest {

    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        proxy = EmbeddedGatehouse.builder().config("""
                server:
                  upstream: http://127.0.0.1:9
                admin:
                  listen: 127.0.0.1:0
                filters:
                  - type: mark
                    name: everywhere
                    config: { label: a }
                  - type: mark
                    name: api-only
                    when: { path-prefix: /api }
                    config: { label: b }
                """).filters(TestFilters.all()).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static HttpResponse<String> admin(String pathAndQuery) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(proxy.adminUri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReadyChainAndStats() throws Exception {
        assertThat(admin("/health").body()).isEqualTo("ok\n");
        assertThat(admin("/ready").statusCode()).isEqualTo(200);
        assertThat(admin("/chain").body()).isEqualTo("0 everywhere (mark)\n1 api-only (mark)\n");
        assertThat(admin("/stats").body()).startsWith("in_flight 0\nconnections_open ").contains("\nconnections_asleep ")
                .contains("\nconnections_refused 0\n").endsWith("\nconnections_keeping_tls_buffers 0\n");
        assertThat(admin("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void explainWalksTheChainWithTheRequestsConditions() throws Exception {
        String url = URLEncoder.encode("http://example.com/api/x?y=1", StandardCharsets.UTF_8);
        HttpResponse<String> response = admin("/explain?method=POST&url=" + url + "&header=X-A:%20b");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("""
                request: POST http://example.com/api/x?y=1
                filter 0 everywhere (mark): runs
                filter 1 api-only (mark): runs
                result: route (none), cluster (none), origin target /api/x?y=1
                upstream: http://127.0.0.1:9 (server.upstream)
                """);
        assertThat(admin("/explain?url=" + URLEncoder.encode("http://example.com/web", StandardCharsets.UTF_8)).body())
                .contains("request: GET http://example.com/web", "filter 1 api-only (mark): skipped, its when: does not hold");
    }

    @Test
    void explainRefusesBadQuestionsWith400() throws Exception {
        assertThat(admin("/explain").statusCode()).isEqualTo(400);
        HttpResponse<String> relative = admin("/explain?url=/just/a/path");
        assertThat(relative.statusCode()).isEqualTo(400);
        assertThat(relative.body()).startsWith("an absolute http:// or https:// URL is needed");
        assertThat(admin("/explain?url=http%3A%2F%2Fh%2F&header=novalue").statusCode()).isEqualTo(400);
        assertThat(admin("/explain?url=http%3A%2F%2Fh%2F&bogus=1").statusCode()).isEqualTo(400);
        assertThat(admin("/explain?url=http%3A%2F%2Fh%2F&method=BAD%20METHOD").statusCode()).isEqualTo(400);
    }

    @Test
    void answersOnlyHostsThatNameIt() {
        int port = proxy.adminAddress().orElseThrow().getPort();
        for (String host : new String[] {"127.0.0.1:" + port, "localhost", "[::1]:" + port, "10.1.2.3"}) {
            try (RawConnection raw = RawConnection.open(port)) {
                assertThat(raw.send("GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n").readResponse()).as(host)
                        .startsWith("HTTP/1.1 200 ");
            }
        }
        // a DNS-rebinding page: its own domain, resolving to the admin address
        try (RawConnection raw = RawConnection.open(port)) {
            String response = raw.send("GET /status HTTP/1.1\r\nHost: attacker.example:" + port + "\r\n\r\n").readResponse();
            assertThat(response).startsWith("HTTP/1.1 403 ").doesNotContain("everywhere");
        }
    }

    @Test
    void allowedHostsAddNames() {
        try (EmbeddedGatehouse named = EmbeddedGatehouse.builder().config("""
                server:
                  upstream: http://127.0.0.1:9
                admin:
                  listen: 127.0.0.1:0
                  allowed-hosts: [ops.internal]
                """).start();
             RawConnection raw = RawConnection.open(named.adminAddress().orElseThrow().getPort())) {
            assertThat(raw.send("GET /health HTTP/1.1\r\nHost: OPS.internal:9901\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void aBusyAdminPortIsReportedLikeEveryOtherListener() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedGatehouse.builder()
                            .config("server:\n  upstream: http://127.0.0.1:9\nadmin:\n  listen: 127.0.0.1:" + busy.getLocalPort() + "\n").start())
                    .isInstanceOf(io.gatehouse.api.ConfigException.class)
                    .hasMessage("admin.listen: cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": address already in use or not available");
        }
    }
}
