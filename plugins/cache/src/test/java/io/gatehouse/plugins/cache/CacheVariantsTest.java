package io.gatehouse.plugins.cache;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vary variants are bounded: at most {@code max-variants} per URI, each weighed with everything
 * it holds (the varying request values are kept as digests when long), so a client sending
 * thousands of distinct values of a varying field cannot grow the heap past {@code max-size}.
 */
class CacheVariantsTest {

    private static final int BIG = 16 * 1024;

    /** A miss for {@code /v} with {@code X-Big: value}, answered with {@code Vary: X-Big}. */
    private static void miss(FilterHarness harness, String value) {
        TestExchange exchange = TestExchange.get("/v").header("X-Big", value);
        FilterResult result = harness.request(exchange);
        assertThat(result.proceeds()).isTrue();
        exchange.respondWith(200, "Cache-Control", "max-age=600", "Vary", "X-Big", "Content-Length", "2");
        harness.response(exchange);
        exchange.feedResponseBody("ok").endResponseBody();
        harness.complete(exchange);
    }

    private static boolean hit(FilterHarness harness, String value) {
        return harness.request(TestExchange.get("/v").header("X-Big", value)).response().isPresent();
    }

    private static String big(int i) {
        char[] value = new char[BIG];
        Arrays.fill(value, 'x');
        String n = Integer.toString(i);
        n.getChars(0, n.length(), value, 0);
        return new String(value);
    }

    @Test
    void aUriKeepsAtMostMaxVariantsTheNewestStored() {
        try (FilterHarness harness = FilterHarness.of(new CacheFilterFactory(), Map.of("max-size", "4MiB", "max-object-size", "1MiB"))) {
            for (int i = 0; i < 300; i++) {
                miss(harness, big(i));
            }
            for (int i = 300 - 16; i < 300; i++) {
                assertThat(hit(harness, big(i))).as("variant %d, among the newest 16", i).isTrue();
            }
            assertThat(hit(harness, big(300 - 17))).as("the 17th newest was dropped").isFalse();
            assertThat(hit(harness, big(0))).isFalse();
        }
    }

    @Test
    void thousandsOfBigVaryValuesKeepTheStoreAndTheHeapWithinTheBudget() {
        long budget = 4L * 1024 * 1024;
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        try (FilterHarness harness = FilterHarness.of(new CacheFilterFactory(), Map.of("max-size", "4MiB", "max-object-size", "1MiB"))) {
            CacheStore store = ((CacheFilter) harness.filter()).store();
            for (int i = 0; i < 4000; i++) { // 64 MiB of distinct X-Big values, in a JVM of 96 MiB (see the pom)
                miss(harness, big(i));
                assertThat(store.weight()).isLessThanOrEqualTo(budget);
            }
            System.gc();
            long retained = runtime.totalMemory() - runtime.freeMemory() - before;
            assertThat(retained).as("heap retained by the store").isLessThan(budget + 8L * 1024 * 1024);
            assertThat(store.variants(CacheKey.DEFAULT.primary(TestExchange.get("/v").request()))).isEqualTo(16);
        }
    }
}
