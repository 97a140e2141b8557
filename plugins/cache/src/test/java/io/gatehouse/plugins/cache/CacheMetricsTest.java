package io.gatehouse.plugins.cache;

import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hits, misses and what is stored, as the cache publishes them through FilterContext.metrics(). */
class CacheMetricsTest {

    @Test
    void countsHitsAndMissesAndPublishesWhatIsStored() {
        try (FilterHarness harness = FilterHarness.of(new CacheFilterFactory(), Map.of())) {
            TestExchange miss = TestExchange.get("/a");
            assertThat(harness.request(miss).proceeds()).isTrue();
            miss.respondWith(200, "Cache-Control", "max-age=60", "Content-Length", "5");
            harness.response(miss);
            miss.feedResponseBody("hello").endResponseBody();
            harness.complete(miss);

            for (int i = 0; i < 3; i++) {
                TestExchange hit = TestExchange.get("/a");
                assertThat(harness.request(hit).response()).isPresent();
                harness.complete(hit);
            }
            TestExchange post = TestExchange.request("POST", "/a").bodyLength(1); // not a lookup: neither hit nor miss
            harness.request(post);
            harness.complete(post);

            assertThat(harness.metrics().count("cache.hits")).isEqualTo(3);
            assertThat(harness.metrics().count("cache.misses")).isEqualTo(1);
            assertThat(harness.metrics().gauge("cache.stored.keys")).hasValue(1);
            assertThat(harness.metrics().gauge("cache.stored.bytes").orElseThrow()).isGreaterThan(5);
        }
    }
}
