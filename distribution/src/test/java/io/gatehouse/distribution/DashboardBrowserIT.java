package io.gatehouse.distribution;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin dashboard in a real browser: a headless Chromium loads {@code GET /} of a running
 * gateway (router, canary, load balancer and cache from the distribution's plugin archives, in
 * front of three real origins) while a client sends a small steady load through it. The charts
 * and every table must show live, non-zero values, and the page must log no error. The
 * screenshot is kept in {@code target/dashboard.png} (and where {@code gatehouse.dashboard.screenshot} names).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardBrowserIT {

    private static final Path HOME = Path.of(System.getProperty("gatehouse.home", "target/gatehouse-unknown"));
    /** At most this many requests: the load is small and bounded, a request every 20 ms while the test runs. */
    private static final int MAX_REQUESTS = 6_000;

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();
    private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private EmbeddedGatehouse gateway;

    private static Reply answer(io.gatehouse.testkit.ReceivedRequest request) {
        String path = request.path();
        if (path.startsWith("/static/")) {
            return Reply.ok("console.log('app');\n").header("Cache-Control", "max-age=60").delay(Duration.ofMillis(2));
        }
        if (path.startsWith("/api/orders/")) {
            return Reply.ok("{\"order\":\"" + path.substring(12) + "\"}").header("Cache-Control", "max-age=1")
                    .delay(Duration.ofMillis(5));
        }
        if (path.equals("/api/slow")) {
            return Reply.ok("slow").header("Cache-Control", "no-store").delay(Duration.ofMillis(40));
        }
        return Reply.text(404, "no such thing\n").header("Cache-Control", "no-store");
    }

    private <T extends AutoCloseable> T started(T closeable) {
        started.add(closeable);
        return closeable;
    }

    /** Three origins, and in front of them a gateway with the router, canary, load balancer and cache; {@code extraRoute} is added to the router. */
    private void startGateway(String extraRoute) {
        TestOrigin one = started(TestOrigin.start(DashboardBrowserIT::answer));
        TestOrigin two = started(TestOrigin.start(DashboardBrowserIT::answer));
        TestOrigin three = started(TestOrigin.start(DashboardBrowserIT::answer));
        gateway = started(EmbeddedGatehouse.builder().config("""
                admin:
                  listen: 127.0.0.1:0
                plugins:
                  directory: "%s"
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: api, path-prefix: /api, cluster: orders }
                        - { name: static, path-prefix: /static, cluster: assets }
                        %s
                  - type: canary
                    config:
                      splits:
                        - name: orders-release
                          from: orders
                          to: [ { cluster: orders-v1, weight: 80 }, { cluster: orders-v2, weight: 20 } ]
                  - type: load-balancer
                    config:
                      clusters:
                        orders-v1: { endpoints: [ "%s", "%s" ] }
                        orders-v2: { endpoints: [ "%s" ] }
                        assets: { endpoints: [ "%s" ] }
                  - type: cache
                """.formatted(HOME.resolve("plugins"), extraRoute, one.url(), two.url(), three.url(), one.url())).start());
    }

    /** A request every 20 ms, cycling through {@code paths}, at most {@value #MAX_REQUESTS} in all, until the test ends. */
    private void startLoad(String... paths) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        load.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            if (n >= MAX_REQUESTS) {
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(gateway.uri(paths[n % paths.length])).timeout(Duration.ofSeconds(5)).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenRun(answered::incrementAndGet);
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopEverything() throws Exception {
        load.shutdownNow();
        assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void theDashboardShowsLiveTrafficInChartsAndEveryTableWithoutErrors() throws Exception {
        startGateway("");
        startLoad("/api/orders/1", "/static/app.js", "/api/orders/2", "/api/slow", "/api/orders/3", "/static/app.js",
                "/api/missing", "/api/orders/4", "/static/app.js", "/nowhere");
        Path profile = Files.createDirectory(dir.resolve("chromium-profile"));
        HeadlessChromium browser = started(HeadlessChromium.start(profile));

        URI page = gateway.adminUri("/");
        browser.navigate(page);

        await("live values on the dashboard").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertShowsLiveTraffic(read(browser)));
        await("every endpoint of the balancer listed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(table(read(browser), "endpoints")).hasSize(4));

        byte[] png = browser.screenshot();
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        Files.write(Path.of("target", "dashboard.png"), png);
        String keep = System.getProperty("gatehouse.dashboard.screenshot", "");
        if (!keep.isBlank()) {
            Files.write(Path.of(keep), png);
        }
        assertThat(answered.get()).as("requests answered through the gateway").isPositive();
        assertThat(browser.errors()).as("console errors, exceptions and failed loads of the page").isEmpty();
    }

    private static final String READ_PAGE = """
            JSON.stringify({
              state: document.getElementById('state').textContent,
              tiles: Object.fromEntries(['rate', 'p50', 'p95', 'p99', 'requests']
                  .map(t => [t, document.getElementById('tile-' + t).textContent])),
              charts: Object.fromEntries(['rate', 'latency'].map(c => {
                const svg = document.getElementById('chart-' + c);
                return [c, { points: Number(svg.getAttribute('data-points') || 0), max: Number(svg.getAttribute('data-max') || 0),
                             series: Array.from(svg.querySelectorAll('path')).map(p => p.getAttribute('data-series')) }];
              })),
              tables: Object.fromEntries(['routes', 'clusters', 'endpoints', 'splits', 'caches', 'filters'].map(t =>
                [t, Array.from(document.querySelectorAll('#rows-' + t + ' tr:not(.empty)'))
                      .map(tr => Array.from(tr.cells).map(td => td.textContent))]))
            })""";

    private static Map<String, Object> read(HeadlessChromium browser) throws Exception {
        return HeadlessChromium.Json.read(browser.evaluate(READ_PAGE));
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> table(Map<String, Object> page, String name) {
        return ((Map<String, List<List<String>>>) page.get("tables")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chart(Map<String, Object> page, String name) {
        return ((Map<String, Map<String, Object>>) page.get("charts")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static String tile(Map<String, Object> page, String name) {
        return ((Map<String, String>) page.get("tiles")).get(name);
    }

    /** A number as the page writes it ({@code 1,234}, {@code 12.5}, {@code 3.2 ms}, {@code 80.0 %}); NaN for "–". */
    private static double number(String text) {
        String digits = text.replace(",", "").replaceAll("[^0-9.].*$", "").trim();
        return digits.isEmpty() ? Double.NaN : Double.parseDouble(digits);
    }

    private static List<String> row(List<List<String>> rows, String first) {
        return rows.stream().filter(r -> r.get(0).equals(first)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + first + " in " + rows));
    }

    private static void assertShowsLiveTraffic(Map<String, Object> page) {
        assertThat((String) page.get("state")).startsWith("live");
        assertThat(number(tile(page, "rate"))).as("requests/s tile").isPositive();
        assertThat(number(tile(page, "requests"))).as("requests tile").isPositive();
        assertThat(number(tile(page, "p99"))).as("p99 tile").isPositive();

        Map<String, Object> rate = chart(page, "rate");
        assertThat(((Number) rate.get("points")).intValue()).as("points of the rate chart").isGreaterThanOrEqualTo(8);
        assertThat(((Number) rate.get("max")).doubleValue()).as("highest rate charted").isPositive();
        assertThat((List<String>) rate.get("series")).contains("2xx", "4xx");
        Map<String, Object> latency = chart(page, "latency");
        assertThat(((Number) latency.get("max")).doubleValue()).as("highest latency charted").isPositive();
        assertThat((List<String>) latency.get("series")).containsExactly("p50", "p95", "p99");

        List<String> api = row(table(page, "routes"), "api");
        assertThat(number(api.get(1))).as("api req/s").isPositive();
        assertThat(number(api.get(2))).as("api total").isPositive();
        assertThat(number(api.get(6))).as("api p95").isPositive();
        assertThat(number(row(table(page, "routes"), "static").get(1))).as("static req/s").isPositive();
        for (String cluster : List.of("orders-v1", "orders-v2", "assets")) {
            assertThat(number(row(table(page, "clusters"), cluster).get(2))).as(cluster + " total").isPositive();
        }

        assertThat(table(page, "endpoints")).isNotEmpty().allSatisfy(endpoint -> assertThat(endpoint.get(2)).isEqualTo("up"));

        for (String side : List.of("orders-v1", "orders-v2")) {
            List<String> split = table(page, "splits").stream().filter(r -> r.get(1).equals(side)).findFirst().orElseThrow();
            assertThat(split.get(0)).isEqualTo("orders-release");
            assertThat(number(split.get(4))).as(side + " served").isPositive();
            assertThat(number(split.get(5))).as(side + " share").isPositive();
        }

        List<String> cache = row(table(page, "caches"), "cache#3");
        assertThat(number(cache.get(2))).as("cache hit ratio").isPositive();
        assertThat(number(cache.get(3))).as("cache hits").isPositive();
        assertThat(number(cache.get(4))).as("cache misses").isPositive();

        for (String filter : List.of("router#0", "canary#1", "load-balancer#2", "cache#3")) {
            List<String> f = row(table(page, "filters"), filter);
            assertThat(number(f.get(3))).as(filter + " calls").isPositive();
            assertThat(number(f.get(6))).as(filter + " onRequest mean").isPositive();
        }
    }

    @Test
    void namesReachThePageAsTextNeverAsMarkup() throws Exception {
        String name = "<img src=x onerror=alert(1)>";
        startGateway("- { name: '" + name + "', path-prefix: /evil, cluster: assets }");
        startLoad("/evil/1");
        HeadlessChromium browser = started(HeadlessChromium.start(Files.createDirectory(dir.resolve("chromium-profile"))));

        browser.navigate(gateway.adminUri("/"));

        await("the route's row").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(table(read(browser), "routes")).extracting(r -> r.get(0)).contains(name));
        assertThat(browser.evaluate("String(document.querySelectorAll('img').length)")).as("img elements on the page").isEqualTo("0");
        assertThat(browser.errors()).isEmpty();
    }
}
