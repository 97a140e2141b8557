package io.gatehouse.plugins.auth;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.OutboundTimeoutException;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutboundClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys fetched from a JWKS URL or an issuer's discovery document, through a scripted outbound client. */
class RemoteKeysTest {

    static final String ISSUER = "https://id.example.com";
    static final String JWKS = "https://id.example.com/keys";
    static final Tokens.SigningKey KEY_1 = Tokens.rsa("k1");
    static final Tokens.SigningKey KEY_2 = Tokens.rsa("k2");
    static final List<Tokens.SigningKey> MADE_UP = List.of(Tokens.rsa("made-up-0"), Tokens.rsa("made-up-1"));

    private final ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);

    static Map<String, Object> jwt(Object... entries) {
        Map<String, Object> jwt = new HashMap<>(Map.of("issuer", ISSUER, "jwks-url", JWKS,
                "jwks", Map.of("min-refresh-interval", "10s", "refresh-interval", "10m", "wait", "3s", "timeout", "2s")));
        for (int i = 0; i < entries.length; i += 2) {
            jwt.put((String) entries[i], entries[i + 1]);
        }
        return jwt;
    }

    private FilterHarness harness(Map<String, Object> jwt, TestOutboundClient http) {
        return FilterHarness.builder(new AuthFilterFactory()).config(Map.of("jwt", jwt)).scheduler(time).http(http).build();
    }

    private static TestExchange bearer(Tokens.SigningKey key) {
        return JwtTest.bearer(Tokens.sign(key, Tokens.claims().build()));
    }

    private static OutboundResponse json(String body) {
        return OutboundResponse.of(200, body);
    }

    @Test
    void aRequestDuringTheFirstFetchWaitsForItInsteadOfFailing() {
        CompletableFuture<OutboundResponse> keys = new CompletableFuture<>();
        TestOutboundClient http = TestOutboundClient.create().answer(JWKS, request -> keys);
        try (FilterHarness harness = harness(jwt(), http)) {
            CompletableFuture<FilterResult> waiting = harness.requestAsync(bearer(KEY_1));
            assertThat(waiting).as("the hook returned at once, without blocking").isNotDone();
            time.runDueTasks(); // the fetch is sent from the blocking executor
            assertThat(waiting).isNotDone();
            assertThat(http.requests()).as("the first fetch started with the filter, and the request joined it").hasSize(1);

            keys.complete(json(Tokens.jwks(KEY_1)));
            assertThat(waiting).isCompletedWithValueMatching(FilterResult::proceeds);
        }
    }

    @Test
    void keysThatNeverComeGive503AfterTheBoundedWait() {
        TestOutboundClient http = TestOutboundClient.create().answer(JWKS, request -> new CompletableFuture<>());
        try (FilterHarness harness = harness(jwt(), http)) {
            CompletableFuture<FilterResult> waiting = harness.requestAsync(bearer(KEY_1));
            time.advance(Duration.ofMillis(2999));
            assertThat(waiting).isNotDone();
            time.advance(Duration.ofMillis(1));
            assertThat(waiting.join().response().orElseThrow().status()).isEqualTo(503);
        }
    }

    @Test
    void aDownSlowOrGarbageKeyServerGives503AtOnceUntilTheNextAttempt() {
        for (OutboundResponse bad : List.of(OutboundResponse.of(500, "oops"), json("<html>not json</html>"),
                json("{\"keys\":[]}"), json("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"}]}"))) {
            TestOutboundClient http = TestOutboundClient.create().answer(JWKS, bad);
            try (FilterHarness harness = harness(jwt(), http)) {
                FilterResult refused = harness.request(bearer(KEY_1));
                assertThat(refused.response().orElseThrow().status()).as(bad.bodyText()).isEqualTo(503);
                assertThat(http.requests()).as("rate-limited: no second call within min-refresh-interval").hasSize(1);
                assertThat(harness.filter().status().orElseThrow()).contains("last fetch failed");
            }
        }
        TestOutboundClient timingOut = TestOutboundClient.create().answer(JWKS, request ->
                CompletableFuture.failedFuture(new OutboundTimeoutException(request + " timed out")));
        try (FilterHarness harness = harness(jwt(), timingOut)) {
            assertThat(harness.request(bearer(KEY_1)).response().orElseThrow().status()).isEqualTo(503);
            assertThat(harness.filter().status().orElseThrow()).contains("no answer within 2000 ms");
        }
    }

    @Test
    void theKeyServerRecoveringIsPickedUpAfterMinRefreshInterval() {
        AtomicReference<OutboundResponse> answer = new AtomicReference<>(OutboundResponse.of(503, "down"));
        TestOutboundClient http = TestOutboundClient.create().answer(JWKS, request -> CompletableFuture.completedFuture(answer.get()));
        try (FilterHarness harness = harness(jwt(), http)) {
            assertThat(harness.request(bearer(KEY_1)).response().orElseThrow().status()).isEqualTo(503);
            answer.set(json(Tokens.jwks(KEY_1)));
            time.advance(Duration.ofSeconds(10)); // the retry after a failure
            assertThat(harness.request(bearer(KEY_1)).proceeds()).isTrue();
        }
    }

    @Test
    void aNewKidFetchesTheKeysAgainOnceWithinMinRefreshInterval() {
        AtomicReference<String> published = new AtomicReference<>(Tokens.jwks(KEY_1));
        TestOutboundClient http = TestOutboundClient.create().answer(JWKS, request -> CompletableFuture.completedFuture(json(published.get())));
        try (FilterHarness harness = harness(jwt(), http)) {
            assertThat(harness.request(bearer(KEY_1)).proceeds()).isTrue();
            assertThat(http.requests()).hasSize(1);

            time.advance(Duration.ofSeconds(10));
            published.set(Tokens.jwks(KEY_1, KEY_2)); // rotation: the issuer publishes k2, then signs with it
            TestExchange rotated = bearer(KEY_2);
            assertThat(harness.request(rotated).proceeds()).isTrue();
            assertThat(http.requests()).hasSize(2);
            assertThat(rotated.attribute(Keys.CONSUMER)).hasValue("alice");

            for (int i = 0; i < 20; i++) {
                Tokens.SigningKey madeUp = MADE_UP.get(i % 2);
                assertThat(harness.request(bearer(madeUp)).response().orElseThrow().headers().first("WWW-Authenticate"))
                        .hasValue(JwtTest.invalid("no key matches the token"));
            }
            assertThat(http.requests()).as("unknown kids within min-refresh-interval fetch nothing").hasSize(2);
            time.advance(Duration.ofSeconds(10));
            harness.request(bearer(MADE_UP.get(0)));
            assertThat(http.requests()).hasSize(3);
        }
    }

    @Test
    void keysAreRefreshedPeriodicallyAndAFailedRefreshKeepsTheOldOnes() {
        AtomicReference<OutboundResponse> answer = new AtomicReference<>(json(Tokens.jwks(KEY_1)));
        TestOutboundClient http = TestOutboundClient.create().answer(JWKS, request -> CompletableFuture.completedFuture(answer.get()));
        try (FilterHarness harness = harness(jwt(), http)) {
            assertThat(harness.request(bearer(KEY_1)).proceeds()).isTrue();
            answer.set(OutboundResponse.of(500, "broken"));
            time.advance(Duration.ofMinutes(10));
            assertThat(http.requests()).hasSize(2);
            assertThat(harness.request(bearer(KEY_1)).proceeds()).as("the keys fetched before stay").isTrue();
        }
    }

    @Test
    void discoveryFindsTheJwksUriOfTheIssuer() {
        String discovery = ISSUER + "/.well-known/openid-configuration";
        TestOutboundClient http = TestOutboundClient.create()
                .answer(discovery, json("{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + ISSUER + "/jwks.json\"}"))
                .answer(ISSUER + "/jwks.json", json(Tokens.jwks(KEY_1)));
        Map<String, Object> config = jwt();
        config.remove("jwks-url");
        try (FilterHarness harness = harness(config, http)) {
            assertThat(harness.request(bearer(KEY_1)).proceeds()).isTrue();
            assertThat(http.requests().stream().map(r -> r.uri().toString())).containsExactly(discovery, ISSUER + "/jwks.json");
        }
    }

    @Test
    void aDiscoveryDocumentOfAnotherIssuerIsRefused() {
        TestOutboundClient http = TestOutboundClient.create()
                .answer(ISSUER + "/.well-known/openid-configuration", json("{\"issuer\":\"https://evil.example\",\"jwks_uri\":\"https://evil.example/k\"}"))
                .answer("https://evil.example/k", json(Tokens.jwks(KEY_1)));
        Map<String, Object> config = jwt();
        config.remove("jwks-url");
        try (FilterHarness harness = harness(config, http)) {
            assertThat(harness.request(bearer(KEY_1)).response().orElseThrow().status()).isEqualTo(503);
            assertThat(http.requests()).hasSize(1);
            assertThat(harness.filter().status().orElseThrow()).contains("names another issuer");
        }
    }

    @Test
    void aKeyMarkedForEncryptionIsNotUsedToVerify() {
        String jwks = Tokens.jwks(KEY_1).replace("\"kty\"", "\"use\":\"enc\",\"kty\"");
        TestOutboundClient http = TestOutboundClient.create().answer(JWKS, json(jwks));
        try (FilterHarness harness = harness(jwt(), http)) {
            assertThat(harness.request(bearer(KEY_1)).response().orElseThrow().status()).isEqualTo(503);
            assertThat(harness.filter().status().orElseThrow()).contains("no usable signature key");
        }
    }

    @Test
    void closingTheFilterStopsTheRefreshTimer() {
        TestOutboundClient http = TestOutboundClient.create().answer(JWKS, json(Tokens.jwks(KEY_1)));
        FilterHarness harness = harness(jwt(), http);
        time.runDueTasks();
        assertThat(time.pendingTasks()).as("the next refresh").isEqualTo(1);
        harness.close();
        assertThat(time.pendingTasks()).isZero();
    }
}
