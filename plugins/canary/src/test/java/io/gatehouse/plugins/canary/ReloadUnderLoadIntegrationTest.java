package io.gatehouse.plugins.canary;

import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.reload.FileConfigSource;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reload through the admin listener ({@code POST /reload}) under steady load, with real router,
 * canary and load-balancer filters in front of real origins: no request fails, and the requests
 * that start after the reload follow the new route and the new canary weights.
 */
class ReloadUnderLoadIntegrationTest {

    private static final int THREADS = 20;
    private static final Duration LOAD = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<TestOrigin> origins = new ArrayList<>();
    private TestOrigin apiV1;
    private TestOrigin apiV2;
    private TestOrigin shopStable;
    private TestOrigin shopCanary;
    private GatehouseServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startOrigins() {
        apiV1 = origin("api-v1");
        apiV2 = origin("api-v2");
        shopStable = origin("shop-stable");
        shopCanary = origin("shop-canary");
    }

    private TestOrigin origin(String body) {
        TestOrigin origin = TestOrigin.start(Reply.ok(body));
        origins.add(origin);
        return origin;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        origins.forEach(TestOrigin::close);
    }

    private String config(String apiCluster, int stableWeight, int canaryWeight) {
        return """
                server:
                  listen: [ "127.0.0.1:0" ]
                admin:
                  listen: 127.0.0.1:0
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: api, path-prefix: /api, cluster: %s }
                        - { name: shop, path-prefix: /shop, cluster: shop }
                  - type: canary
                    config:
                      splits:
                        - name: shop-release
                          from: shop
                          to: [ { cluster: shop-stable, weight: %d }, { cluster: shop-canary, weight: %d } ]
                  - type: load-balancer
                    name: balancer
                    config:
                      clusters:
                        api-v1: { endpoints: [ "%s" ] }
                        api-v2: { endpoints: [ "%s" ] }
                        shop-stable: { endpoints: [ "%s" ] }
                        shop-canary: { endpoints: [ "%s" ] }
                """.formatted(apiCluster, stableWeight, canaryWeight, apiV1.url(), apiV2.url(), shopStable.url(), shopCanary.url());
    }

    private void start(String yaml) throws Exception {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, yaml);
        FileConfigSource source = new FileConfigSource(new ConfigLoader(dir), file, UnaryOperator.identity());
        server = GatehouseServer.start(source.read(),
                List.of(new RouterFilterFactory(), new CanaryFilterFactory(), new LoadBalancerFilterFactory()), Optional.of(source));
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.adminAddress().orElseThrow().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request of the load: when it started, what it asked, what it got. */
    private record Sent(long startNanos, String path, int status, String body) {
    }

    @Test
    void aRouteAndACanaryWeightChangeUnderLoadLoseNoRequest() throws Exception {
        start(config("api-v1", 100, 0));
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + LOAD.toNanos();
        ExecutorService load = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(load.submit(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        String path = (i + thread) % 2 == 0 ? "/api/users" : "/shop/cart";
                        long started = System.nanoTime();
                        try {
                            HttpResponse<String> response = get(path);
                            sent.add(new Sent(started, path, response.statusCode(), response.body()));
                            if (response.statusCode() != 200) {
                                failures.add(path + ": " + response.statusCode() + " " + response.body());
                            }
                        } catch (Exception e) {
                            failures.add(path + ": " + e);
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            // the reload in the middle of the load, once it is well under way
            await().atMost(8, TimeUnit.SECONDS).until(() -> done.get() >= 2000 || System.nanoTime() > end - LOAD.toNanos() / 2);
            Files.writeString(dir.resolve("gatehouse.yaml"), config("api-v2", 0, 100));
            HttpResponse<String> reload = admin("POST", "/reload");
            long reloaded = System.nanoTime();

            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            assertThat(reload.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(reload.body()).contains("\"status\":\"applied\"", "\"trigger\":\"admin\"",
                    "\"filters_carried_over\":[\"balancer\"]", "\"restart_required\":[]");
            for (Future<?> worker : workers) {
                worker.get(LOAD.toSeconds() + 20, TimeUnit.SECONDS);
            }

            assertThat(failures).isEmpty();
            List<Sent> after = sent.stream().filter(s -> s.startNanos() > reloaded).toList();
            List<Sent> before = sent.stream().filter(s -> s.startNanos() < reloaded).toList();
            assertThat(after).hasSizeGreaterThan(200);
            assertThat(before).hasSizeGreaterThan(200);
            assertThat(after).allSatisfy(s -> assertThat(s.body()).isEqualTo(s.path().startsWith("/api") ? "api-v2" : "shop-canary"));
            assertThat(before.stream().filter(s -> s.startNanos() < reloaded - TimeUnit.SECONDS.toNanos(1)))
                    .allSatisfy(s -> assertThat(s.body()).isEqualTo(s.path().startsWith("/api") ? "api-v1" : "shop-stable"));
            assertThat(apiV2.requestCount()).isPositive();
            assertThat(shopCanary.requestCount()).isPositive();
        } finally {
            load.shutdownNow();
            assertThat(load.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anInvalidConfigurationIsRejectedWithItsReasonAndTheRunningOneKeepsServing() throws Exception {
        start(config("api-v1", 100, 0));
        assertThat(get("/api/x").body()).isEqualTo("api-v1");

        // the router names a cluster no balancer serves (the check across filters)
        Files.writeString(dir.resolve("gatehouse.yaml"), config("api-v2", 100, 0).replace("api-v2: { endpoints:", "api-v3: { endpoints:"));
        HttpResponse<String> reload = admin("POST", "/reload");

        assertThat(reload.statusCode()).isEqualTo(422);
        assertThat(reload.body()).contains("\"status\":\"rejected\"", "\"error\":\"filters[0].config.routes[0].cluster");
        assertThat(get("/api/x").body()).isEqualTo("api-v1");
        assertThat(get("/shop/x").body()).isEqualTo("shop-stable");
        assertThat(admin("GET", "/config").body()).contains("api-v1").doesNotContain("api-v3");

        Files.writeString(dir.resolve("gatehouse.yaml"), "filters: [ { type: router, config: { routes: 7 } } ]\n");
        HttpResponse<String> broken = admin("POST", "/reload");
        assertThat(broken.statusCode()).isEqualTo(422);
        assertThat(broken.body()).contains("\"error\":\"filters[0].config.routes");
        assertThat(get("/api/x").body()).isEqualTo("api-v1");
    }

    @Test
    void aChangedServerWideSettingIsNamedAsNeedingARestart() throws Exception {
        start(config("api-v1", 100, 0));

        Files.writeString(dir.resolve("gatehouse.yaml"), config("api-v2", 100, 0)
                .replace("server:\n", "server:\n  timeouts: { connect: 3s }\n"));
        HttpResponse<String> reload = admin("POST", "/reload");

        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).contains("\"restart_required\":[\"server.timeouts\"]");
        assertThat(get("/api/x").body()).isEqualTo("api-v2");
        assertThat(server.config().timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
    }
}
