package io.gatehouse.plugins.router;

import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.TestExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Route selection per request (path normalisation plus table lookup) with 10, 1,000 and 10,000
 * routes. A third of the routes have a host, the rest are split between exact paths and prefixes,
 * plus a few regex routes on another host. Requests cycle over 256 prefix routes or 256 exact
 * routes spread over the table, or hit nothing (404).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchBenchmark {

    @Param({"10", "1000", "10000"})
    public int routes;

    private static final int REQUESTS = 256;

    private RouteTable table;
    private final TestExchange[] prefixHits = new TestExchange[REQUESTS];
    private final TestExchange[] exactHits = new TestExchange[REQUESTS];
    private TestExchange miss;
    private int next;

    @Setup
    public void setUp() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < routes; i++) {
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("name", "r" + i);
            if (i % 3 == 0) {
                route.put("host", "svc" + i + ".example.com");
            }
            if (i % 2 == 0) {
                route.put("path-prefix", "/svc" + i + "/api");
            } else {
                route.put("path", "/svc" + i + "/exact/resource");
            }
            route.put("cluster", "c" + (i % 17));
            list.add(route);
        }
        for (int i = 0; i < 5; i++) {
            list.add(Map.of("name", "regex" + i, "host", "regex.example.com", "path-regex", "/re" + i + "/[0-9]+", "cluster", "r"));
        }
        RouterConfig config = new RouterFilterFactory().parseConfig(PluginConfig.of("filters[0].config", Map.of("routes", list)));
        table = new RouteTable(config.routes(), config.fallback());
        // Requests spread over the whole table (so that large tables also cost their cache misses):
        // route numbers that are even and not multiples of 3 are prefix routes on any host, and
        // that number plus 3 is an exact route on any host.
        for (int i = 0; i < REQUESTS; i++) {
            int n = (int) ((long) i * (routes - 6) / REQUESTS);
            n = n - n % 6 + 2;
            prefixHits[i] = exchange("www.example.com", "/svc" + n + "/api/users/42/orders");
            exactHits[i] = exchange("www.example.com", "/svc" + (n + 3) + "/exact/resource");
            if (select(prefixHits[i]).isEmpty() || select(exactHits[i]).isEmpty()) {
                throw new IllegalStateException("benchmark request " + i + " does not hit its route");
            }
        }
        miss = exchange("www.example.com", "/nothing/here/at/all");
        if (select(miss).isPresent()) {
            throw new IllegalStateException("the miss request hits a route");
        }
    }

    private static TestExchange exchange(String host, String path) {
        TestExchange exchange = TestExchange.get(path).header("Host", host);
        return exchange;
    }

    private Optional<Route> select(TestExchange exchange) {
        String path = io.gatehouse.api.http.PathNormalizer.normalize(exchange.request().path());
        RequestFacts facts = new RequestFacts(exchange.request().method(), HostPattern.normalize(exchange.request().authority()), path,
                "", exchange.request().headers());
        return table.select(facts, SelectionTrace.NONE);
    }

    @Benchmark
    public Optional<Route> prefixRoute() {
        next = (next + 1) & (REQUESTS - 1);
        return select(prefixHits[next]);
    }

    @Benchmark
    public Optional<Route> exactRoute() {
        next = (next + 1) & (REQUESTS - 1);
        return select(exactHits[next]);
    }

    @Benchmark
    public Optional<Route> noRoute() {
        return select(miss);
    }
}
