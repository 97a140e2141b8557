package io.gatehouse.plugins.canary;

import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shadow traffic stays bounded (issue #20, items 3 and 11): a mirror that never answers costs at
 * most {@code max-in-flight} requests and connections, copies past that are shed and counted, and
 * a copy that cannot be made never fails the client's request.
 */
class MirrorBoundsIntegrationTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final CountDownLatch release = new CountDownLatch(1);
    private TestOrigin primary;
    private TestOrigin silent;
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void start() {
        primary = TestOrigin.start(Reply.ok("primary"));
        silent = TestOrigin.start(Reply.ok("too late").holdUntil(release)); // reads each request, never answers
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        release.countDown();
        silent.close();
        primary.close();
    }

    private void startGatehouse(String mirrorOptions) {
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: router
                    config:
                      routes: [ { name: app, path-prefix: /, cluster: app } ]
                  - type: canary
                    config:
                      splits:
                        - name: release
                          from: app
                          to: [ { cluster: stable, weight: 100 } ]
                          mirror: { upstream: "%s", percent: 100, max-body: 128KiB, timeout: 60s%s }
                  - type: load-balancer
                    config:
                      clusters:
                        stable: { endpoints: [ "%s" ] }
                """.formatted(silent.url(), mirrorOptions, primary.url()))
                .filters(new RouterFilterFactory(), new CanaryFilterFactory(), new LoadBalancerFilterFactory()).start();
    }

    private long counter(String name) {
        String status = gatehouse.status("canary#1").orElseThrow();
        Matcher matcher = Pattern.compile(name + " (\\d+)").matcher(status);
        assertThat(matcher.find()).as("%s in %s", name, status).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private void postMany(int count) {
        byte[] body = new byte[64 * 1024];
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/upload/" + i))
                    .timeout(PROMPTLY).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(response.body()).isEqualTo("primary");
        }
    }

    @Test
    void aMirrorThatNeverAnswersHoldsAtMostTheDefaultCapAndTheRestIsShed() {
        startGatehouse("");

        postMany(300);

        assertThat(primary.requestCount()).isEqualTo(300);
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.requestCount() >= 32);
        assertThat(silent.requestCount()).as("copies at the silent mirror at once (it answers none)").isEqualTo(32);
        assertThat(silent.connectionsAccepted()).as("connections the silent mirror accepted").isLessThanOrEqualTo(32);
        assertThat(counter("shed")).isEqualTo(300 - 32);
        assertThat(counter("in flight")).isEqualTo(32);
    }

    @Test
    void theCapIsConfigurable() {
        startGatehouse(", max-in-flight: 4");

        postMany(20);

        await().atMost(Duration.ofSeconds(10)).until(() -> silent.requestCount() >= 4);
        assertThat(silent.requestCount()).isEqualTo(4);
        assertThat(silent.connectionsAccepted()).isLessThanOrEqualTo(4);
        assertThat(counter("shed")).isEqualTo(16);
    }

    @Test
    void aTargetThatIsNoUrlIsNotMirroredButTheClientIsServed() {
        startGatehouse("");

        try (RawConnection connection = gatehouse.raw()) {
            String response = connection.send("GET /a?q=| HTTP/1.1\r\nHost: shop.example\r\n\r\n").readResponse();
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("primary");
        }

        assertThat(primary.lastRequest().target()).isEqualTo("/a?q=|");
        assertThat(counter("not a URL")).isEqualTo(1);
        assertThat(silent.requestCount()).isZero();
    }
}
