package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Keys;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter in memory, on the test's time: refusals, headers, keys, explain. */
class RateLimitFilterTest {

    private final ManualScheduler time = ManualScheduler.create();

    private FilterHarness harness(Map<String, ?> config) {
        return FilterHarness.builder(new RateLimitFilterFactory()).config(config).scheduler(time).build();
    }

    private static TestExchange from(String ip) throws Exception {
        return TestExchange.get("/orders").clientIp(InetAddress.getByName(ip));
    }

    @Test
    void overTheLimitIs429WithRetryAfterAndTheRateLimitFields() throws Exception {
        try (FilterHarness harness = harness(Map.of("key", "client-ip", "rate", "10/s", "burst", 2, "name", "per-ip"))) {
            assertThat(harness.request(from("203.0.113.7")).proceeds()).isTrue();
            assertThat(harness.request(from("203.0.113.7")).proceeds()).isTrue();

            FilterResult refused = harness.request(from("203.0.113.7"));
            assertThat(refused.proceeds()).isFalse();
            HttpFields fields = refused.response().orElseThrow().headers();
            assertThat(refused.response().orElseThrow().status()).isEqualTo(429);
            assertThat(fields.first("Retry-After")).hasValue("1");
            assertThat(fields.first("RateLimit-Policy")).hasValue("\"per-ip\";q=10;w=1");
            assertThat(fields.first("RateLimit")).hasValue("\"per-ip\";r=0;t=1");

            assertThat(harness.request(from("198.51.100.1")).proceeds()).as("another client").isTrue();
            time.advance(Duration.ofMillis(100));
            assertThat(harness.request(from("203.0.113.7")).proceeds()).as("one token back after 100 ms").isTrue();
            assertThat(harness.request(from("203.0.113.7")).proceeds()).isFalse();
        }
    }

    @Test
    void admittedResponsesCarryTheFieldsWhenConfigured() throws Exception {
        try (FilterHarness harness = harness(Map.of("key", "client-ip", "rate", "6000/min", "headers-on-allowed", true))) {
            TestExchange exchange = from("203.0.113.7");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            exchange.respondWith(200);
            harness.response(exchange);
            HttpFields fields = exchange.response().orElseThrow().headers();
            assertThat(fields.first("RateLimit-Policy")).hasValue("\"client-ip\";q=6000;w=60");
            assertThat(fields.first("RateLimit")).hasValue("\"client-ip\";r=5999;t=1");
        }
        try (FilterHarness harness = harness(Map.of("key", "client-ip", "rate", "6000/min"))) {
            TestExchange exchange = from("203.0.113.7");
            harness.request(exchange);
            exchange.respondWith(200);
            harness.response(exchange);
            assertThat(exchange.response().orElseThrow().headers().contains("RateLimit")).as("off by default").isFalse();
        }
    }

    @Test
    void severalLimitsShowEveryPolicyAndTheStrictestRefuses() {
        try (FilterHarness harness = harness(Map.of("headers-on-allowed", true, "limits", List.of(
                Map.of("name", "per-consumer", "key", "consumer", "rate", "100/min"),
                Map.of("name", "per-route", "key", "route", "rate", "1/s", "algorithm", "gcra"))))) {
            TestExchange first = TestExchange.get("/a");
            first.setAttribute(Keys.CONSUMER, "alice");
            first.setRoute("orders");
            assertThat(harness.request(first).proceeds()).isTrue();
            first.respondWith(200);
            harness.response(first);
            assertThat(first.response().orElseThrow().headers().first("RateLimit-Policy"))
                    .hasValue("\"per-consumer\";q=100;w=60, \"per-route\";q=1;w=1");
            assertThat(first.response().orElseThrow().headers().first("RateLimit"))
                    .hasValue("\"per-consumer\";r=99;t=1, \"per-route\";r=0;t=1");

            TestExchange second = TestExchange.get("/a");
            second.setAttribute(Keys.CONSUMER, "bob");
            second.setRoute("orders");
            FilterResult refused = harness.request(second);
            assertThat(refused.response().orElseThrow().headers().first("RateLimit")).hasValue("\"per-route\";r=0;t=1");
        }
    }

    @Test
    void aRequestWithoutTheKeyIsNotLimited() {
        try (FilterHarness harness = harness(Map.of("key", List.of("consumer", "header:X-Tenant"), "rate", "1/h"))) {
            for (int i = 0; i < 5; i++) {
                assertThat(harness.request(TestExchange.get("/").header("X-Tenant", "t1")).proceeds()).as("no consumer").isTrue();
            }
            TestExchange alice = TestExchange.get("/").header("X-Tenant", "t1");
            alice.setAttribute(Keys.CONSUMER, "alice");
            assertThat(harness.request(alice).proceeds()).isTrue();
            TestExchange again = TestExchange.get("/").header("X-Tenant", "t1");
            again.setAttribute(Keys.CONSUMER, "alice");
            assertThat(harness.request(again).proceeds()).isFalse();
            TestExchange otherTenant = TestExchange.get("/").header("X-Tenant", "t2");
            otherTenant.setAttribute(Keys.CONSUMER, "alice");
            assertThat(harness.request(otherTenant).proceeds()).isTrue();
        }
    }

    @Test
    void aGlobalLimitCountsEveryRequest() throws Exception {
        try (FilterHarness harness = harness(Map.of("key", "global", "rate", "2/s", "algorithm", "sliding-window"))) {
            assertThat(harness.request(from("10.0.0.1")).proceeds()).isTrue();
            assertThat(harness.request(from("10.0.0.2")).proceeds()).isTrue();
            assertThat(harness.request(from("10.0.0.3")).proceeds()).isFalse();
        }
    }

    @Test
    void explainTellsWhichLimitsApplyWithoutCountingAndStatusCounts() throws Exception {
        try (FilterHarness harness = harness(Map.of("limits", List.of(
                Map.of("name", "per-ip", "key", "client-ip", "rate", "1/min"),
                Map.of("name", "per-consumer", "key", "consumer", "rate", "5/s"))))) {
            TestExchange exchange = from("203.0.113.7");
            assertThat(harness.filter().explain(exchange)).containsExactly(
                    "limit per-ip (1/1m, burst 1, token-bucket, key client-ip): counts this request under \"203.0.113.7\"",
                    "limit per-consumer (5/1s, burst 5, token-bucket, key consumer): does not apply, the request has no consumer",
                    "store: local");
            assertThat(harness.request(from("203.0.113.7")).proceeds()).as("explain counted nothing").isTrue();
            harness.request(from("203.0.113.7"));
            assertThat(harness.filter().status()).hasValueSatisfying(status -> assertThat(status.lines()).containsExactly(
                    "store: local, allowed 1, rejected 1", "limit per-ip: 1 keys", "limit per-consumer: 0 keys"));
        }
    }

    @Test
    void longKeysAreStoredAsTheirHash() {
        assertThat(KeySpec.bounded("x".repeat(128))).hasSize(128);
        assertThat(KeySpec.bounded("x".repeat(5000))).startsWith("#").hasSize(44);
    }
}
