package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real Gatehouse balancing over three real origins on loopback. */
class LoadBalancerIntegrationTest {

    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final String HEALTH = "/healthz";

    private final List<TestOrigin> origins = new ArrayList<>();
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void startOrigins() {
        // each answers its name, and 200 to its health probe
        for (String name : NAMES) {
            origins.add(TestOrigin.start(Reply.ok(name)).answer(HEALTH, Reply.status(200)));
        }
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        origins.forEach(TestOrigin::close);
    }

    /** @return the requests an origin served, its health probes not counted */
    private static int served(TestOrigin origin) {
        return origin.requestCount(request -> !request.path().equals(HEALTH));
    }

    private static int servedByAll(List<TestOrigin> origins) {
        return origins.stream().mapToInt(LoadBalancerIntegrationTest::served).sum();
    }

    private String name(TestOrigin origin) {
        return NAMES.get(origins.indexOf(origin));
    }

    private void start(String clusterBody) {
        String yaml = """
                filters:
                  - type: load-balancer
                    config:
                      default-cluster: shop
                      clusters:
                        shop:
                          endpoints: [ "%s", "%s", "%s" ]
                %s
                """.formatted(origins.get(0).url(), origins.get(1).url(), origins.get(2).url(), clusterBody.indent(10).stripTrailing());
        gatehouse = EmbeddedGatehouse.builder().config(yaml).filters(new LoadBalancerFilterFactory()).start();
    }

    private HttpResponse<String> get(String path) {
        return gatehouse.send(HttpRequest.newBuilder(gatehouse.uri(path)).timeout(Duration.ofSeconds(20)).build());
    }

    private String status() {
        return gatehouse.status("load-balancer#0").orElseThrow();
    }

    @Test
    void roundRobinSpreadsEvenlyOverRealOrigins() throws Exception {
        start("policy: round-robin");
        for (int i = 0; i < 300; i++) {
            assertThat(get("/item/" + i).statusCode()).isEqualTo(200);
        }
        assertThat(origins).allSatisfy(o -> assertThat(served(o)).isEqualTo(100));
        assertThat(status()).contains("cluster shop: round-robin", origins.get(0).url() + " weight 1 healthy");
    }

    @Test
    void aFailingHealthCheckTakesAnEndpointOutAndAPassingOneBringsItBack() throws Exception {
        start("""
                health-check: { path: /healthz, interval: 100ms, timeout: 1s, healthy-threshold: 2, unhealthy-threshold: 2 }
                """);
        TestOrigin b = origins.get(1);
        b.answer(HEALTH, Reply.status(503));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(b.url() + " weight 1 unhealthy"));
        int before = served(b);
        for (int i = 0; i < 60; i++) {
            assertThat(get("/").body()).isIn("a", "c");
        }
        assertThat(served(b)).isEqualTo(before);

        b.answer(HEALTH, Reply.status(200));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(b.url() + " weight 1 healthy"));
        for (int i = 0; i < 60; i++) {
            get("/");
        }
        assertThat(served(b)).isGreaterThan(before + 10);
    }

    @Test
    void aKilledOriginIsEjectedAfterAFewErrorsWhichRetriesHide() throws Exception {
        // A long ejection, so that nothing here depends on how fast the machine is; re-admission
        // when it runs out is covered with explicit times in OutlierDetectionTest.
        start("""
                outlier-detection: { consecutive-errors: 3, base-ejection: 5m, max-ejected-percent: 50 }
                """);
        TestOrigin c = origins.get(2);
        c.kill();
        for (int i = 0; i < 30; i++) {
            assertThat(get("/").statusCode()).as("connect failures are retried elsewhere by default").isEqualTo(200);
        }
        assertThat(status()).contains(c.url() + " weight 1 healthy ejected");
        for (int i = 0; i < 60; i++) {
            assertThat(get("/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aKilledOriginComesBackIntoRotationWhenItIsRevived() throws Exception {
        start("""
                outlier-detection: { consecutive-errors: 2, base-ejection: 200ms }
                health-check: { path: /healthz, interval: 100ms, healthy-threshold: 1, unhealthy-threshold: 2 }
                """);
        TestOrigin c = origins.get(2);
        c.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(c.url() + " weight 1 unhealthy"));
        int before = served(c);
        for (int i = 0; i < 30; i++) {
            assertThat(get("/").statusCode()).isEqualTo(200);
        }
        assertThat(served(c)).isEqualTo(before);

        c.revive();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(c.url() + " weight 1 healthy"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(get("/").statusCode()).isEqualTo(200);
            return served(c) > before;
        });
    }

    @Test
    void withoutRetriesTheFailedAttemptsReachTheClient() throws Exception {
        start("""
                retries: { attempts: 0 }
                outlier-detection: { consecutive-errors: 3, base-ejection: 5m }
                """);
        TestOrigin c = origins.get(2);
        c.kill();
        int errors = 0;
        for (int i = 0; i < 30; i++) {
            if (get("/").statusCode() != 200) {
                errors++;
            }
        }
        // The first failure hit a pooled connection and the core retried it once on its own; the
        // next two were refused connections, answered 502; then the endpoint was out.
        assertThat(errors).isBetween(2, 3);
        assertThat(status()).contains(c.url() + " weight 1 healthy ejected");
    }

    @Test
    void killingAnOriginMidLoadLosesNoIdempotentRequest() throws Exception {
        start("""
                retries: { attempts: 2, retry-on: [ connect-failure, reset ], min-retries: 8 }   # 4 clients: all may retry at once
                """);
        TestOrigin c = origins.get(2);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> failures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                failures.add(clients.submit(() -> {
                    List<String> failed = new ArrayList<>();
                    for (int i = 0; i < 150; i++) {
                        HttpResponse<String> response = get("/load");
                        if (response.statusCode() != 200) {
                            failed.add(response.statusCode() + " " + response.body());
                        }
                    }
                    return failed;
                }));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> served(c) >= 40);
            c.kill();
            List<String> failed = new ArrayList<>();
            for (Future<List<String>> f : failures) {
                failed.addAll(f.get());
            }
            assertThat(failed).as("client-visible errors").isEmpty();
        } finally {
            clients.shutdownNow();
        }
        assertThat(status()).contains(c.url() + " weight 1 healthy ejected");
    }

    @Test
    void aRetriedStatusGoesToAnotherEndpointWithTheBodyReplayed() {
        start("""
                retries: { attempts: 2, retry-on: [ 503 ], replay-body: 1KiB, backoff: 1ms, max-backoff: 5ms }
                outlier-detection: { consecutive-errors: 0 }
                """);
        origins.get(0).answer(Reply.text(503, "a"));
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/doc/" + i))
                    .PUT(HttpRequest.BodyPublishers.ofString("body-" + i)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isIn("b", "c");
        }
        assertThat(served(origins.get(0))).as("every request it got was retried").isPositive();
        assertThat(origins.get(1).requests()).filteredOn(r -> !r.path().equals(HEALTH)).extracting(ReceivedRequest::bodyText)
                .allMatch(body -> body.startsWith("body-"));
        assertThat(served(origins.get(1)) + served(origins.get(2))).isEqualTo(30);
    }

    @Test
    void aNonIdempotentRequestThatReachedAnOriginIsNotRetried() {
        start("""
                retries: { attempts: 2, retry-on: [ 503 ], replay-body: 1KiB }
                outlier-detection: { consecutive-errors: 0 }
                """);
        origins.get(0).answer(Reply.text(503, "a"));
        int unavailable = 0;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString("order-" + i)).build());
            if (response.statusCode() == 503) {
                unavailable++;
            }
        }
        assertThat(unavailable).isEqualTo(10);
        assertThat(servedByAll(origins)).isEqualTo(30);
    }

    @Test
    void aSlowOriginGetsLittleTrafficWithPeakEwma() throws Exception {
        start("policy: peak-ewma");
        origins.get(2).answer(Reply.ok("c").delay(Duration.ofMillis(50))); // the origin's own slowness
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(clients.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        assertThat(get("/").statusCode()).isEqualTo(200);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        int total = servedByAll(origins);
        assertThat(total).isEqualTo(600);
        assertThat(served(origins.get(2)) / (double) total).isLessThan(0.15);
    }

    @Test
    void overflowingTheCircuitBreakerAnswers503NamingTheCluster() throws Exception {
        start("circuit-breaker: { max-requests: 2 }");
        CountDownLatch release = new CountDownLatch(1);
        origins.forEach(o -> o.answer(Reply.ok(name(o)).holdUntil(release)));
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(gatehouse.client().sendAsync(HttpRequest.newBuilder(gatehouse.uri("/held")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> servedByAll(origins) == 2);

        long start = System.nanoTime();
        HttpResponse<String> overflow = get("/one-too-many");
        assertThat(overflow.statusCode()).isEqualTo(503);
        assertThat(overflow.headers().firstValue(LoadBalancerFilter.OVERLOADED)).hasValue("shop");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        assertThat(status()).contains("active requests 2 of 2");
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains("active requests 0 of 2"));
        assertThat(get("/after").statusCode()).isEqualTo(200);
    }

    @Test
    void everyEndpointDownMeans503AtOnce() throws Exception {
        start("""
                health-check: { path: /healthz, interval: 100ms, unhealthy-threshold: 1 }
                """);
        origins.forEach(o -> o.answer(HEALTH, Reply.status(500)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !status().contains(" healthy "));
        long start = System.nanoTime();
        HttpResponse<String> response = get("/");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void stickyCookieKeepsAClientOnItsEndpoint() {
        start("""
                sticky: { cookie: shop-lb, max-age: 1h }
                """);
        HttpResponse<String> first = get("/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("shop-lb=").contains("Max-Age=3600", "HttpOnly").doesNotContain("127.0.0.1");
        String pinned = first.body();
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> again = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build());
            assertThat(again.body()).isEqualTo(pinned);
            assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void theRoutersClusterIsServed() {
        String yaml = """
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: shop, path-prefix: /shop, strip-prefix: true, cluster: shop }
                  - type: load-balancer
                    config:
                      clusters:
                        shop: { endpoints: [ "%s" ] }
                        spare: { endpoints: [ "%s" ] }
                """.formatted(origins.get(0).url(), origins.get(1).url());
        gatehouse = EmbeddedGatehouse.builder().config(yaml)
                .filters(new RouterFilterFactory(), new LoadBalancerFilterFactory()).start();
        assertThat(get("/shop/x").body()).isEqualTo("a");
        // a route to a cluster that no balancer serves is a start-up error: ChainNamesIntegrationTest
    }
}
