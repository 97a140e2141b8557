package io.gatehouse.plugins.auth;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Response;
import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutboundClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Forward auth through a scripted outbound client. */
class ForwardAuthTest {

    static final String CHECK = "http://auth.internal:8080/check";

    private final ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);

    static Map<String, Object> forward(Object... entries) {
        Map<String, Object> forward = new HashMap<>(Map.of("url", CHECK, "response-headers", List.of("X-User-Id", "X-Roles"),
                "consumer-header", "X-User-Id", "groups-header", "X-Roles"));
        for (int i = 0; i < entries.length; i += 2) {
            forward.put((String) entries[i], entries[i + 1]);
        }
        return Map.of("forward", forward);
    }

    private FilterHarness harness(Map<String, Object> config, TestOutboundClient http) {
        return FilterHarness.builder(new AuthFilterFactory()).config(config).scheduler(time).http(http).build();
    }

    static OutboundResponse allow(String user) {
        return OutboundResponse.of(200, HttpFields.of("X-User-Id", user, "X-Roles", "admins, ops", "X-Other", "x"), new byte[0]);
    }

    @Test
    void a2xxAnswerLetsTheRequestThroughWithTheSelectedFields() {
        TestOutboundClient http = TestOutboundClient.create().answer(CHECK, allow("u-42"));
        try (FilterHarness harness = harness(forward(), http)) {
            TestExchange exchange = TestExchange.request("POST", "/orders/7?x=1").header("Host", "shop.example.com")
                    .header("Authorization", "Bearer opaque").header("Cookie", "s=1").header("X-User-Id", "forged")
                    .header("X-Api-Key", "not-sent");
            assertThat(harness.request(exchange).proceeds()).isTrue();

            OutboundRequest call = http.requests().get(0);
            assertThat(call.method()).isEqualTo("GET");
            assertThat(call.headers().first("Authorization")).hasValue("Bearer opaque");
            assertThat(call.headers().first("Cookie")).hasValue("s=1");
            assertThat(call.headers().contains("X-Api-Key")).isFalse();
            assertThat(call.headers().contains("X-User-Id")).as("the client's forged copy was removed first").isFalse();
            assertThat(call.headers().first("X-Forwarded-Method")).hasValue("POST");
            assertThat(call.headers().first("X-Forwarded-Uri")).hasValue("/orders/7?x=1");
            assertThat(call.headers().first("X-Forwarded-Host")).hasValue("shop.example.com");
            assertThat(call.timeout()).isEqualTo(Duration.ofSeconds(5));

            assertThat(exchange.request().headers().all("X-User-Id")).containsExactly("u-42");
            assertThat(exchange.request().headers().first("X-Roles")).hasValue("admins, ops");
            assertThat(exchange.request().headers().contains("X-Other")).isFalse();
            assertThat(exchange.attribute(Keys.CONSUMER)).hasValue("u-42");
            assertThat(exchange.request().headers().first("X-Consumer-Groups")).hasValue("admins,ops");
        }
    }

    @Test
    void anyOtherAnswerGoesBackToTheClientAsItIs() {
        TestOutboundClient http = TestOutboundClient.create().answer(request -> CompletableFuture.completedFuture(
                request.headers().contains("Cookie")
                        ? OutboundResponse.of(302, HttpFields.of("Location", "https://login.example.com/?next=%2F", "Content-Length", "0",
                                "Connection", "close"), new byte[0])
                        : OutboundResponse.of(401, HttpFields.of("WWW-Authenticate", "Bearer realm=\"sso\"",
                                "Content-Type", "application/json"), "{\"error\":\"login\"}".getBytes(StandardCharsets.UTF_8))));
        try (FilterHarness harness = harness(forward(), http)) {
            Response denied = ApiKeyTest.refused(harness, TestExchange.get("/"));
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.headers().first("WWW-Authenticate")).hasValue("Bearer realm=\"sso\"");
            assertThat(new String(denied.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"login\"}");

            Response redirect = ApiKeyTest.refused(harness, TestExchange.get("/").header("Cookie", "expired=1"));
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.headers().first("Location")).hasValue("https://login.example.com/?next=%2F");
            assertThat(redirect.headers().contains("Connection")).isFalse();
            assertThat(redirect.headers().contains("Content-Length")).isFalse();
        }
    }

    @Test
    void aFailingAuthServiceFailsClosedByDefaultAndOpenWhenConfigured() {
        TestOutboundClient down = TestOutboundClient.create().answer(request ->
                CompletableFuture.failedFuture(new OutboundConnectException("refused")));
        try (FilterHarness harness = harness(forward(), down)) {
            Response refused = ApiKeyTest.refused(harness, TestExchange.get("/"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo("Service Unavailable: the authentication service is unavailable\n");
        }
        try (FilterHarness harness = harness(forward("on-failure", "allow"), down)) {
            TestExchange exchange = TestExchange.get("/").header("X-User-Id", "forged");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.attribute(Keys.CONSUMER)).isEmpty();
            assertThat(exchange.request().headers().contains("X-User-Id")).isFalse();
        }
    }

    @Test
    void failingOpenWhereAnIdentityIsRequiredIs503NotA401WithoutChallenge() {
        TestOutboundClient down = TestOutboundClient.create().answer(request ->
                CompletableFuture.failedFuture(new OutboundConnectException("refused")));
        Map<String, Object> config = new HashMap<>(forward("on-failure", "allow"));
        config.put("access", List.of(Map.of("path-prefix", "/private", "require", Map.of("groups", List.of("staff")))));
        try (FilterHarness harness = harness(config, down)) {
            assertThat(harness.request(TestExchange.get("/public")).proceeds()).isTrue();
            assertThat(ApiKeyTest.refused(harness, TestExchange.get("/private")).status()).isEqualTo(503);
        }
    }

    @Test
    void answerFieldsThatCannotBeSentAsTheyAreAreLeftOut() {
        TestOutboundClient http = TestOutboundClient.create().answer(CHECK, OutboundResponse.of(200,
                HttpFields.of("X-User-Id", "u-7", "X-Roles", "caf\u00e9"), new byte[0]));
        try (FilterHarness harness = harness(forward(), http)) {
            TestExchange exchange = TestExchange.get("/");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.request().headers().first("X-User-Id")).hasValue("u-7");
            assertThat(exchange.request().headers().contains("X-Roles")).isFalse();
        }
    }

    @Test
    void theCallNeverBlocksAndWaitsOnlyAsLongAsItsTimeout() {
        CompletableFuture<OutboundResponse> slow = new CompletableFuture<>();
        TestOutboundClient http = TestOutboundClient.create().answer(CHECK, request -> slow);
        try (FilterHarness harness = harness(forward("timeout", "750ms"), http)) {
            CompletableFuture<FilterResult> pending = harness.requestAsync(TestExchange.get("/"));
            assertThat(pending).isNotDone();
            assertThat(http.requests().get(0).timeout()).isEqualTo(Duration.ofMillis(750));
            slow.complete(allow("late"));
            assertThat(pending).isCompletedWithValueMatching(FilterResult::proceeds);
        }
    }

    @Test
    void decisionsAreRememberedPerCredentialForCacheTtl() {
        TestOutboundClient http = TestOutboundClient.create().answer(CHECK, request -> CompletableFuture.completedFuture(
                request.headers().first("Authorization").orElse("").equals("Bearer good") ? allow("u-1") : OutboundResponse.of(403, "no")));
        try (FilterHarness harness = harness(forward("cache-ttl", "5s"), http)) {
            for (int i = 0; i < 3; i++) {
                assertThat(harness.request(TestExchange.get("/").header("Authorization", "Bearer good")).proceeds()).isTrue();
                assertThat(harness.request(TestExchange.get("/").header("Authorization", "Bearer bad")).proceeds()).isFalse();
            }
            assertThat(http.requests()).hasSize(2);
            time.advance(Duration.ofSeconds(6));
            assertThat(harness.request(TestExchange.get("/").header("Authorization", "Bearer good")).proceeds()).isTrue();
            assertThat(http.requests()).hasSize(3);
        }
    }

    @Test
    void explainCallsNothing() {
        TestOutboundClient http = TestOutboundClient.create();
        try (FilterHarness harness = harness(forward(), http)) {
            assertThat(harness.filter().explain(TestExchange.get("/"))).containsExactly(
                    "forward auth: would ask " + CHECK + " (a dry run calls nothing)");
            assertThat(http.requests()).isEmpty();
        }
    }

    @Test
    void configErrors() {
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), forward("url", "ftp://x")))
                .hasMessageStartingWith("filters[0].config.forward.url: expected an http or https URL");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), forward("request-headers", List.of("Host"))))
                .hasMessage("filters[0].config.forward.request-headers[0]: Host is a connection field and cannot be sent to the auth service");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), forward("on-failure", "maybe")))
                .hasMessageStartingWith("filters[0].config.forward.on-failure: expected one of deny, allow");
        Map<String, Object> both = new HashMap<>(forward());
        both.put("jwt", JwtTest.jwt());
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), both))
                .hasMessage("filters[0].config.forward: forward auth decides alone: put the other mechanisms in another auth filter");
    }
}
