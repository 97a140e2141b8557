package io.gatehouse.plugins.cache;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cache's hit path: {@code onRequest} of a fresh hit (key, lookup, freshness, the answer
 * built over the shared stored body), over 256 stored URIs of 1 KiB, with the request fields a
 * browser and the proxy's forwarding fields bring. {@code hitWithVary} stores every URI with
 * {@code Vary: Accept-Encoding} in two variants.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheHitBenchmark {

    private static final int URIS = 256;

    private CacheFilter filter;
    private final TestExchange[] hits = new TestExchange[URIS];
    private final TestExchange[] varyHits = new TestExchange[URIS];
    private int next;

    @Setup
    public void setUp() {
        CacheConfig config = new CacheFilterFactory().parseConfig(PluginConfig.of("filters[0].config", Map.of()));
        filter = new CacheFilter(config, Clock.systemUTC(), Runnable::run);
        String body = "x".repeat(1024);
        for (int i = 0; i < URIS; i++) {
            store("/static/app-" + i + ".js", body);
            hits[i] = request("/static/app-" + i + ".js", "gzip, deflate, br");
            store("/vary/page-" + i, body, "Vary", "Accept-Encoding");
            varyHits[i] = request("/vary/page-" + i, "gzip, deflate, br");
            if (!filter.onRequest(hits[i]).toCompletableFuture().join().response().isPresent()
                    || !filter.onRequest(varyHits[i]).toCompletableFuture().join().response().isPresent()) {
                throw new IllegalStateException("not a hit: " + i);
            }
        }
    }

    private static TestExchange request(String target, String acceptEncoding) {
        return TestExchange.get(target)
                .header("Host", "www.example.com")
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")
                .header("Accept", "*/*")
                .header("Accept-Language", "en-GB,en;q=0.5")
                .header("Accept-Encoding", acceptEncoding)
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-Host", "www.example.com")
                .header("X-Real-IP", "203.0.113.7")
                .header("Forwarded", "for=203.0.113.7;host=www.example.com;proto=http");
    }

    private void store(String target, String body, String... extra) {
        for (String encoding : extra.length == 0 ? new String[] {"gzip, deflate, br"} : new String[] {"gzip, deflate, br", "identity"}) {
            TestExchange miss = request(target, encoding);
            filter.onRequest(miss).toCompletableFuture().join();
            String[] headers = new String[4 + extra.length];
            headers[0] = "Cache-Control";
            headers[1] = "max-age=3600";
            headers[2] = "Content-Length";
            headers[3] = Integer.toString(body.length());
            System.arraycopy(extra, 0, headers, 4, extra.length);
            miss.respondWith(200, headers);
            filter.onResponse(miss).toCompletableFuture().join();
            miss.feedResponseBody(body).endResponseBody();
            filter.onComplete(miss, TestOutcome.completed(200).build());
        }
    }

    @Benchmark
    public FilterResult hit() {
        TestExchange exchange = hits[next++ & (URIS - 1)];
        return filter.onRequest(exchange).toCompletableFuture().getNow(null);
    }

    @Benchmark
    public FilterResult hitWithVary() {
        TestExchange exchange = varyHits[next++ & (URIS - 1)];
        return filter.onRequest(exchange).toCompletableFuture().getNow(null);
    }
}
