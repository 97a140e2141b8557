package io.gatehouse.server.admin;

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
import static org.awaitility.Awaitility.await;

/** The dashboard's page and document on the admin listener of a running proxy (the page in a browser: DashboardBrowserIT). */
class DashboardIntegrationTest {

    private static TestOrigin origin;
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(Reply.ok("hello"));
        proxy = EmbeddedGatehouse.builder().config("""
                admin:
                  listen: 127.0.0.1:0
                """).upstream(origin).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    private static HttpResponse<String> admin(String path) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(proxy.adminUri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageIsSelfContainedAndMayRunOnlyItsOwnScript() throws Exception {
        HttpResponse<String> page = admin("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .startsWith("default-src 'none'; script-src 'sha256-").contains("connect-src 'self'"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<title>Gatehouse dashboard</title>", "dashboard.json")
                .doesNotContainPattern("(src|href)=\"(https?:)?//");
    }

    @Test
    void theDocumentCountsTrafficThroughTheProxy() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(proxy.get("/x").statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> json = admin("/dashboard.json");
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json.body()).contains("\"summary\":{\"requests\":5,", "\"routes\":[{\"name\":\"none\",\"requests\":5,");
        });
    }

    @Test
    void otherPathsStillGetTheHelpText() throws Exception {
        HttpResponse<String> other = admin("/nothing");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).startsWith("not found: try / (the dashboard), /health");
    }

    @Test
    void answersOnlyHostsThatNameIt() {
        int port = proxy.adminAddress().orElseThrow().getPort();
        for (String path : new String[] {"/", "/dashboard.json"}) {
            try (RawConnection raw = RawConnection.open(port)) {
                assertThat(raw.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").readResponse())
                        .startsWith("HTTP/1.1 200 ");
            }
            try (RawConnection raw = RawConnection.open(port)) {
                assertThat(raw.send("GET " + path + " HTTP/1.1\r\nHost: attacker.example:" + port + "\r\n\r\n").readResponse())
                        .as(path).startsWith("HTTP/1.1 403 ").doesNotContain("summary", "<script>");
            }
        }
    }
}
