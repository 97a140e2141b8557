package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.server.testkit.EmbeddedGatehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
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

    private final List<ControlledOrigin> origins = new ArrayList<>();
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void startOrigins() {
        for (String name : List.of("a", "b", "c")) {
            origins.add(ControlledOrigin.start(name));
        }
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        origins.forEach(ControlledOrigin::close);
    }

    private void start(String clusterBody) {
        String yaml = """
                admin: { listen: 127.0.0.1:0 }
                filters:
                  - type: load-balancer
                    config:
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

    private String status() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gatehouse.server().adminAddress().orElseThrow().getPort() + "/status");
        return gatehouse.client().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void roundRobinSpreadsEvenlyOverRealOrigins() throws Exception {
        start("policy: round-robin");
        for (int i = 0; i < 300; i++) {
            assertThat(get("/item/" + i).statusCode()).isEqualTo(200);
        }
        assertThat(origins).allSatisfy(o -> assertThat(o.served()).isEqualTo(100));
        assertThat(status()).contains("cluster shop: round-robin", origins.get(0).url() + " weight 1 healthy");
    }

    @Test
    void aFailingHealthCheckTakesAnEndpointOutAndAPassingOneBringsItBack() throws Exception {
        start("""
                health-check: { path: /healthz, interval: 100ms, timeout: 1s, healthy-threshold: 2, unhealthy-threshold: 2 }
                """);
        ControlledOrigin b = origins.get(1);
        b.health(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(b.url() + " weight 1 unhealthy"));
        int before = b.served();
        for (int i = 0; i < 60; i++) {
            assertThat(get("/").body()).isIn("a", "c");
        }
        assertThat(b.served()).isEqualTo(before);

        b.health(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(b.url() + " weight 1 healthy"));
        for (int i = 0; i < 60; i++) {
            get("/");
        }
        assertThat(b.served()).isGreaterThan(before + 10);
    }

    @Test
    void aKilledOriginIsEjectedAfterAFewErrorsWhichRetriesHide() throws Exception {
        // A long ejection, so that nothing here depends on how fast the machine is; re-admission
        // when it runs out is covered with explicit times in OutlierDetectionTest.
        start("""
                outlier-detection: { consecutive-errors: 3, base-ejection: 5m, max-ejected-percent: 50 }
                """);
        ControlledOrigin c = origins.get(2);
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
        ControlledOrigin c = origins.get(2);
        int port = c.port();
        c.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(c.url() + " weight 1 unhealthy"));
        int before = c.served();
        for (int i = 0; i < 30; i++) {
            assertThat(get("/").statusCode()).isEqualTo(200);
        }
        assertThat(c.served()).isEqualTo(before);

        c.revive(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(c.url() + " weight 1 healthy"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(get("/").statusCode()).isEqualTo(200);
            return c.served() > before;
        });
    }

    @Test
    void withoutRetriesTheFailedAttemptsReachTheClient() throws Exception {
        start("""
                retries: { attempts: 0 }
                outlier-detection: { consecutive-errors: 3, base-ejection: 5m }
                """);
        ControlledOrigin c = origins.get(2);
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
        ControlledOrigin c = origins.get(2);
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
            await().atMost(Duration.ofSeconds(20)).until(() -> c.served() >= 40);
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
        origins.get(0).answer(503);
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/doc/" + i))
                    .PUT(HttpRequest.BodyPublishers.ofString("body-" + i)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isIn("b", "c");
        }
        assertThat(origins.get(0).served()).as("every request it got was retried").isPositive();
        assertThat(origins.get(1).bodies()).allMatch(body -> body.startsWith("body-"));
        assertThat(origins.get(1).served() + origins.get(2).served()).isEqualTo(30);
    }

    @Test
    void aNonIdempotentRequestThatReachedAnOriginIsNotRetried() {
        start("""
                retries: { attempts: 2, retry-on: [ 503 ], replay-body: 1KiB }
                outlier-detection: { consecutive-errors: 0 }
                """);
        origins.get(0).answer(503);
        int unavailable = 0;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString("order-" + i)).build());
            if (response.statusCode() == 503) {
                unavailable++;
            }
        }
        assertThat(unavailable).isEqualTo(10);
        assertThat(origins.stream().mapToInt(ControlledOrigin::served).sum()).isEqualTo(30);
    }

    @Test
    void aSlowOriginGetsLittleTrafficWithPeakEwma() throws Exception {
        start("policy: peak-ewma");
        origins.get(2).delay(50);
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
        int total = origins.stream().mapToInt(ControlledOrigin::served).sum();
        assertThat(total).isEqualTo(600);
        assertThat(origins.get(2).served() / (double) total).isLessThan(0.15);
    }

    @Test
    void overflowingTheCircuitBreakerAnswers503NamingTheCluster() throws Exception {
        start("circuit-breaker: { max-requests: 2 }");
        List<CountDownLatch> holds = origins.stream().map(ControlledOrigin::hold).toList();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(gatehouse.client().sendAsync(HttpRequest.newBuilder(gatehouse.uri("/held")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> origins.stream().mapToInt(ControlledOrigin::served).sum() == 2);

        long start = System.nanoTime();
        HttpResponse<String> overflow = get("/one-too-many");
        assertThat(overflow.statusCode()).isEqualTo(503);
        assertThat(overflow.headers().firstValue(LoadBalancerFilter.OVERLOADED)).hasValue("shop");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        assertThat(status()).contains("active requests 2 of 2");
        holds.forEach(CountDownLatch::countDown);
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
        origins.forEach(o -> o.health(500));
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
    void theRoutersClusterIsServedAndOthersAreNot() {
        String yaml = """
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: shop, path-prefix: /shop, strip-prefix: true, cluster: shop }
                        - { name: other, path-prefix: /other, cluster: nowhere }
                  - type: load-balancer
                    config:
                      clusters:
                        shop: { endpoints: [ "%s" ] }
                        spare: { endpoints: [ "%s" ] }
                """.formatted(origins.get(0).url(), origins.get(1).url());
        gatehouse = EmbeddedGatehouse.builder().config(yaml)
                .filters(new RouterFilterFactory(), new LoadBalancerFilterFactory()).start();
        assertThat(get("/shop/x").body()).isEqualTo("a");
        HttpResponse<String> other = get("/other/x");
        assertThat(other.statusCode()).isEqualTo(502);
        assertThat(other.body()).contains("no load balancer serves cluster nowhere");
    }
}
