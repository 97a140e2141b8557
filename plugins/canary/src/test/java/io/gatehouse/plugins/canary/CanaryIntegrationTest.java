package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A real Gatehouse with router, canary and load balancer in front of real blue and green origins. */
class CanaryIntegrationTest {

    @TempDir
    Path dir;

    private TestOrigin blue;
    private TestOrigin green;
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void startOrigins() {
        blue = TestOrigin.start(Reply.ok("blue"));
        green = TestOrigin.start(Reply.ok("green"));
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        blue.close();
        green.close();
    }

    private void start(String canaryConfig) {
        String yaml = """
                filters:
                  - type: router
                    config:
                      routes: [ { name: app, path-prefix: /, cluster: app } ]
                  - type: canary
                    config:
                %s
                  - type: load-balancer
                    config:
                      clusters:
                        blue: { endpoints: [ "%s" ] }
                        green: { endpoints: [ "%s" ] }
                """.formatted(canaryConfig.indent(6).stripTrailing(), blue.url(), green.url());
        gatehouse = EmbeddedGatehouse.builder().config(yaml)
                .filters(new RouterFilterFactory(), new CanaryFilterFactory(), new LoadBalancerFilterFactory()).start();
    }

    private static String splits(int blueWeight, int greenWeight) {
        return """
                splits:
                  - name: release
                    from: app
                    to: [ { cluster: blue, weight: %d }, { cluster: green, weight: %d } ]
                    response-header: X-Side
                """.formatted(blueWeight, greenWeight);
    }

    @Test
    void aBlueGreenFlipUnderSteadyLoadLosesNoRequest() throws Exception {
        Path file = dir.resolve("splits.yaml");
        Files.writeString(file, splits(100, 0));
        start("watch: \"" + file + "\"\nwatch-interval: 50ms");

        List<String> answers = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean flipped = new AtomicBoolean();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            int greenAfterFlip = 0;
            for (int i = 0; i < 5000 && greenAfterFlip < 200; i++) {
                HttpResponse<String> response = gatehouse.get("/item/" + i);
                if (response.statusCode() != 200) {
                    failures.add(response.statusCode() + " " + response.body());
                }
                answers.add(response.body());
                if (flipped.get() && response.body().equals("green")) {
                    greenAfterFlip++;
                }
            }
        }, Executors.newSingleThreadExecutor());

        await().atMost(Duration.ofSeconds(20)).until(() -> answers.size() >= 100);
        Files.writeString(file, splits(0, 100));
        flipped.set(true);
        load.get(60, TimeUnit.SECONDS);

        assertThat(failures).isEmpty();
        int firstGreen = answers.indexOf("green");
        assertThat(firstGreen).as("the flip took effect").isPositive();
        assertThat(answers.subList(0, firstGreen)).containsOnly("blue");
        assertThat(answers.subList(firstGreen, answers.size())).as("after the flip, only green").containsOnly("green");
    }

    @Test
    void aSplitNamingAClusterNoBalancerServesStopsStartUpWithItsKey() {
        assertThatThrownBy(() -> start(splits(90, 10).replace("cluster: green", "cluster: gren")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[1].config.splits[0].to[1].cluster: no load balancer serves a cluster named \"gren\" "
                        + "(clusters served: app, blue, green)");
    }

    @Test
    void aWatchedFileWithATypoIsRefusedAndTheRunningSplitsStay() throws Exception {
        Path file = dir.resolve("splits.yaml");
        Files.writeString(file, splits(100, 0));
        start("watch: \"" + file + "\"\nwatch-interval: 50ms");
        assertThat(gatehouse.get("/").body()).isEqualTo("blue");

        Files.writeString(file, splits(0, 100).replace("cluster: green", "cluster: gren"));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
        await().atMost(Duration.ofSeconds(10)).until(() -> gatehouse.status("canary#1").orElse("").contains(
                "watched file: last change refused, the splits above stay: " + file + ": splits[0].to[1].cluster: "
                        + "no load balancer serves a cluster named \"gren\""));
        for (int i = 0; i < 20; i++) {
            assertThat(gatehouse.get("/r" + i).body()).isEqualTo("blue");
        }

        Files.writeString(file, splits(0, 100));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 4000));
        await().atMost(Duration.ofSeconds(10)).until(() -> gatehouse.get("/").body().equals("green"));
    }

    @Test
    void aStickyCookieKeepsAClientOnItsSideAndTheResponseSaysWhich() {
        start(splits(50, 50).replace("    response-header: X-Side", "    response-header: X-Side\n    sticky: { cookie: side, max-age: 1h, same-site: Lax }"));
        HttpResponse<String> first = gatehouse.get("/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("side=" + first.body()).contains("Max-Age=3600", "SameSite=Lax", "HttpOnly");
        assertThat(first.headers().firstValue("X-Side")).hasValue(first.body());
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> again = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/"))
                    .header("Cookie", "side=" + first.body()).build());
            assertThat(again.body()).isEqualTo(first.body());
        }
    }

    @Test
    void anOverrideHeaderWinsOverTheWeights() {
        start(splits(100, 0).replace("    response-header: X-Side", "    response-header: X-Side\n    override: { header: X-Canary }"));
        for (int i = 0; i < 20; i++) {
            assertThat(gatehouse.get("/").body()).isEqualTo("blue");
            assertThat(gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/")).header("X-Canary", "always").build()).body())
                    .isEqualTo("green");
        }
    }

    private long p99Millis(int requests) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/m/" + i))
                    .POST(HttpRequest.BodyPublishers.ofString("payload-" + i)).timeout(Duration.ofSeconds(10)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        return millis.get((int) Math.ceil(requests * 0.99) - 1);
    }

    @Test
    void aSlowOrDownMirrorDoesNotChangeTheClientsLatency() throws Exception {
        TestOrigin slow = TestOrigin.start(Reply.status(200).delay(Duration.ofSeconds(5))); // the mirror's own slowness
        int downPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            downPort = unused.getLocalPort();
        }
        try {
            start(splits(100, 0));
            long baseline = p99Millis(200);
            gatehouse.close();

            start(splits(100, 0) + "    mirror: { endpoints: [ \"" + slow.url() + "\" ], percent: 100, max-body: 1KiB }\n");
            long slowMirrored = p99Millis(200);
            gatehouse.close();

            start(splits(100, 0) + "    mirror: { upstream: \"http://127.0.0.1:" + downPort + "\", percent: 100 }\n");
            long downMirrored = p99Millis(200);

            System.out.printf("p99 ms: no mirror %d, 5 s mirror %d, dead mirror %d%n", baseline, slowMirrored, downMirrored);
            assertThat(slowMirrored).as("p99 with a 5 s mirror vs %d ms without", baseline).isLessThan(baseline + 50);
            assertThat(downMirrored).as("p99 with a dead mirror vs %d ms without", baseline).isLessThan(baseline + 50);
            // the slow mirror holds max-in-flight (32 by default) copies at once; the others were shed
            List<ReceivedRequest> mirrored = slow.awaitRequests(32, Duration.ofSeconds(10));
            assertThat(mirrored).allSatisfy(r -> assertThat(r.header(Mirror.MARKER).orElse("-") + " " + r.method() + " " + r.bodyText())
                    .startsWith("release POST payload-"));
        } finally {
            slow.close();
        }
    }
}
