package io.gatehouse.plugins.cache;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the cache writes into Cache-Status is also published under the API's well-known key. */
class CacheStatusKeyTest {

    /** Runs a miss for {@code path} through the cache, answering 200 "hello" with the given Cache-Control. */
    private static TestExchange miss(FilterHarness harness, String path, String cacheControl) {
        TestExchange exchange = TestExchange.get(path);
        assertThat(harness.request(exchange).proceeds()).isTrue();
        exchange.respondWith(200, "Cache-Control", cacheControl, "Content-Length", "5");
        harness.response(exchange);
        exchange.feedResponseBody("hello").endResponseBody();
        harness.complete(exchange);
        return exchange;
    }

    @Test
    void aMissAndAHitRecordTheirCacheStatus() {
        try (FilterHarness harness = FilterHarness.of(new CacheFilterFactory(), Map.of())) {
            TestExchange miss = miss(harness, "/a", "max-age=60");
            String missStatus = miss.response().orElseThrow().headers().first(CacheFilter.STATUS).orElseThrow();
            assertThat(missStatus).as("the head leaves before the body is stored").isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
            assertThat(miss.attribute(Keys.CACHE_STATUS)).as("once the whole body is stored").hasValue("Gatehouse; fwd=uri-miss; stored; ttl=60");

            TestExchange hit = TestExchange.get("/a");
            FilterResult result = harness.request(hit);
            String hitStatus = result.response().orElseThrow().headers().first(CacheFilter.STATUS).orElseThrow();
            assertThat(hitStatus).contains("hit");
            assertThat(hit.attribute(Keys.CACHE_STATUS)).contains(hitStatus);
        }
    }

    @Test
    void theStatusIsRecordedEvenWhenTheFieldIsStrippedFromTheResponse() {
        try (FilterHarness harness = FilterHarness.of(new CacheFilterFactory(), Map.of("strip-fields", List.of("Cache-Status")))) {
            TestExchange miss = miss(harness, "/b", "no-store");

            assertThat(miss.response().orElseThrow().headers().contains(CacheFilter.STATUS)).isFalse();
            assertThat(miss.attribute(Keys.CACHE_STATUS)).hasValueSatisfying(status -> assertThat(status).contains("fwd=uri-miss"));
        }
    }
}
