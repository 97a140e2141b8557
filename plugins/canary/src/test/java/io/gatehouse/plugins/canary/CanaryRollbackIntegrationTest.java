package io.gatehouse.plugins.canary;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #20, item 5: rollback judges the canary's upstream answers only. Clients that go away,
 * answers the proxy makes itself, and traffic forced by an override neither roll a healthy canary
 * back nor keep a broken one in; a rolled-back canary gets no override traffic unless the split
 * says testers may still reach it.
 */
class CanaryRollbackIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestOrigin blue = TestOrigin.start(Reply.ok("blue"));
    private TestOrigin green;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        blue.close();
        if (green != null) {
            green.close();
        }
    }

    /**
     * Router, canary (blue stable, green canary), an optional filter between canary and balancer,
     * and the balancer.
     */
    private void start(int blueWeight, int greenWeight, String splitKeys, String greenCluster, String between,
                       ProxyFilterFactory<?>... extra) {
        String yaml = """
                filters:
                  - type: router
                    config:
                      routes: [ { name: app, path-prefix: /, cluster: app } ]
                  - type: canary
                    config:
                      splits:
                        - name: release
                          from: app
                          to: [ { cluster: blue, weight: %d }, { cluster: green, weight: %d } ]
                          rollback: { window: 60s, min-requests: 20, max-error-percent: 10 }
                %s
                %s
                  - type: load-balancer
                    config:
                      clusters:
                        blue: { endpoints: [ "%s" ] }
                        green: { endpoints: [ "%s" ]%s }
                """.formatted(blueWeight, greenWeight, splitKeys.indent(10).stripTrailing(), between.indent(2).stripTrailing(),
                blue.url(), green.url(), greenCluster);
        List<ProxyFilterFactory<?>> factories = new ArrayList<>(List.of(new RouterFilterFactory(), new CanaryFilterFactory(),
                new LoadBalancerFilterFactory()));
        factories.addAll(List.of(extra));
        gatehouse = EmbeddedGatehouse.builder().config(yaml).filters(factories).start();
    }

    private String status() {
        return gatehouse.status("canary#1").orElseThrow();
    }

    private boolean rolledBack() {
        return status().contains("(rolled back)");
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gatehouse.uri(path)).timeout(WAIT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return gatehouse.send(request.build());
    }

    /** Sends a request on a plain socket, waits until an origin has it, then resets the connection (RST). */
    private void sendThenReset(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gatehouse.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(WAIT).until(() -> green.requestCount(path) + blue.requestCount(path) == 1);
            socket.setSoLinger(true, 0); // close() now resets
        }
    }

    @Test
    void clientsThatResetTheirConnectionDoNotRollBackAHealthyCanary() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        green = TestOrigin.start(Reply.ok("green").holdUntil(release));
        start(0, 100, "", "", "");

        for (int i = 0; i < 40; i++) {
            sendThenReset("/aborted/" + i);
        }
        release.countDown();
        await().atMost(WAIT).until(() -> rolledBack() || status().contains("not judged: 40 without an upstream answer"));

        assertThat(rolledBack()).as("40 clients that went away are not 40 failures of the canary").isFalse();
        assertThat(get("/after").body()).isEqualTo("green");
    }

    @Test
    void answersTheProxyMadeItselfDoNotRollBackAHealthyCanary() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        green = TestOrigin.start(Reply.ok("green")).answer("/held", Reply.ok("green").holdUntil(release));
        start(0, 100, "", ", circuit-breaker: { max-requests: 1 }", """
                - type: fail
                """, new Fail());

        for (int i = 0; i < 15; i++) {
            assertThat(get("/fail/" + i).statusCode()).as("a filter that fails: 500").isEqualTo(500);
        }
        CompletableFuture<HttpResponse<String>> held = gatehouse.client().sendAsync(
                HttpRequest.newBuilder(gatehouse.uri("/held")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> green.requestCount("/held") == 1);
        for (int i = 0; i < 15; i++) {
            assertThat(get("/overload/" + i).statusCode()).as("the balancer's circuit breaker: 503").isEqualTo(503);
        }
        release.countDown();
        assertThat(held.get(20, TimeUnit.SECONDS).body()).isEqualTo("green");
        await().atMost(WAIT).until(() -> rolledBack() || status().contains("not judged: 30 without an upstream answer"));

        assertThat(rolledBack()).as("30 answers of the proxy are not failures of the canary").isFalse();
        assertThat(get("/after").body()).isEqualTo("green");
    }

    @Test
    void theCanarysOwnFailuresStillRollItBack() {
        green = TestOrigin.start(Reply.text(500, "green failed"));
        start(0, 100, "", "", "");
        for (int i = 0; i < 20; i++) {
            assertThat(get("/" + i).statusCode()).isEqualTo(500);
        }
        await().atMost(WAIT).until(this::rolledBack);
        assertThat(get("/after").body()).isEqualTo("blue");
    }

    @Test
    void overrideTrafficDoesNotHideABrokenCanaryNorReachItOnceRolledBack() {
        green = TestOrigin.start(Reply.text(500, "green failed")).answer("/ok", Reply.ok("green"));
        start(50, 50, "override: { header: X-Canary }", "", "");
        for (int i = 0; i < 400; i++) { // a tester, or anyone, forcing healthy requests onto the canary
            assertThat(get("/ok", "X-Canary", "always").body()).isEqualTo("green");
        }

        int usersFailed = 0;
        for (int i = 0; i < 400 && !rolledBack(); i++) {
            if (get("/users/" + i).statusCode() == 500) {
                usersFailed++;
            }
        }

        assertThat(rolledBack()).isTrue();
        assertThat(usersFailed).as("rolled back after about min-requests (20) failures, whatever the override traffic")
                .isLessThanOrEqualTo(30);
        for (int i = 0; i < 10; i++) {
            assertThat(get("/ok", "X-Canary", "always").body()).as("a rolled-back canary gets no override traffic").isEqualTo("blue");
            assertThat(get("/ok", "X-Canary", "green").body()).isEqualTo("blue");
        }
    }

    @Test
    void testersStillReachARolledBackCanaryWhenTheSplitSaysSo() {
        green = TestOrigin.start(Reply.text(500, "green failed")).answer("/ok", Reply.ok("green"));
        start(0, 100, "override: { header: X-Canary, after-rollback: true }", "", "");
        for (int i = 0; i < 20; i++) {
            get("/" + i);
        }
        await().atMost(WAIT).until(this::rolledBack);
        assertThat(get("/ok").body()).isEqualTo("blue");
        assertThat(get("/ok", "X-Canary", "always").body()).isEqualTo("green");
    }

    /** {@code fail}: a filter that fails on {@code /fail/...}, so the proxy answers 500 itself. */
    static final class Fail implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "fail";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return (Exchange exchange) -> {
                if (exchange.request().path().startsWith("/fail/")) {
                    throw new IllegalStateException("this filter fails");
                }
                return FilterResult.proceed();
            };
        }
    }
}
