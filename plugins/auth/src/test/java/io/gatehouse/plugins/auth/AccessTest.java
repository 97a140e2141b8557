package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.References;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authorization by consumer, group, claim and scope, per route, path and method; anonymous access; config. */
class AccessTest {

    static final String ALICE = "key-alice-0123456789";
    static final String BOB = "key-bob-0123456789ab";
    static final String MALLORY = "key-mallory-01234567";

    static Map<String, Object> apiKeys() {
        return Map.of("keys", List.of(
                Map.of("consumer", "alice", "groups", List.of("admins"), "hash", Hashes.sha256(ALICE)),
                Map.of("consumer", "bob", "groups", List.of("staff"), "hash", Hashes.sha256(BOB)),
                Map.of("consumer", "mallory", "groups", List.of("admins"), "hash", Hashes.sha256(MALLORY))));
    }

    static int status(FilterHarness harness, TestExchange exchange) {
        return harness.request(exchange).response().map(r -> r.status()).orElse(200);
    }

    static TestExchange as(String method, String target, String key) {
        return TestExchange.request(method, target).header("X-Api-Key", key);
    }

    @Test
    void rulesByPathMethodGroupAndConsumer() {
        Map<String, Object> config = Map.of("api-key", apiKeys(),
                "deny", Map.of("consumers", List.of("mallory")),
                "access", List.of(
                        Map.of("path-prefix", "/admin", "require", Map.of("groups", List.of("admins"))),
                        Map.of("methods", List.of("delete"), "require", Map.of("consumers", List.of("alice")))));
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config)) {
            assertThat(status(harness, as("GET", "/admin/users", ALICE))).isEqualTo(200);
            assertThat(status(harness, as("GET", "/admin", BOB))).isEqualTo(403);
            assertThat(status(harness, as("GET", "/administrator", BOB))).as("a prefix ends at a segment").isEqualTo(200);
            assertThat(status(harness, as("GET", "/orders", BOB))).isEqualTo(200);
            assertThat(status(harness, as("DELETE", "/orders/1", BOB))).isEqualTo(403);
            assertThat(status(harness, as("DELETE", "/orders/1", ALICE))).isEqualTo(200);
            assertThat(status(harness, as("GET", "/orders", MALLORY))).as("denied whatever else holds").isEqualTo(403);
        }
    }

    @Test
    void aForbiddenAnswerSaysNothingMore() {
        Map<String, Object> config = Map.of("api-key", apiKeys(), "require", Map.of("groups", List.of("admins")));
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config)) {
            TestExchange bob = as("GET", "/", BOB);
            var response = harness.request(bob).response().orElseThrow();
            assertThat(response.status()).isEqualTo(403);
            assertThat(new String(response.body())).isEqualTo("Forbidden\n");
            assertThat(response.headers().contains("WWW-Authenticate")).isFalse();
            assertThat(bob.attribute(Keys.CONSUMER)).as("not handed on when refused").isEmpty();
        }
    }

    @Test
    void rulesByRouteAndByClaim() {
        Tokens.SigningKey key = JwtTest.RSA;
        Map<String, Object> config = Map.of("jwt", JwtTest.jwt(), "access", List.of(
                Map.of("route", List.of("tenant-api"), "require", Map.of("claims", Map.of("tenant", List.of("acme", "globex"))))));
        try (FilterHarness harness = FilterHarness.builder(new AuthFilterFactory()).config(config)
                .scheduler(io.gatehouse.api.testkit.ManualScheduler.startingAt(Tokens.NOW)).build()) {
            String acme = Tokens.sign(key, Tokens.with(Map.of("tenant", "acme")));
            String initech = Tokens.sign(key, Tokens.with(Map.of("tenant", "initech")));
            TestExchange onRoute = JwtTest.bearer(initech);
            onRoute.setRoute("tenant-api");
            assertThat(status(harness, onRoute)).isEqualTo(403);
            TestExchange acmeOnRoute = JwtTest.bearer(acme);
            acmeOnRoute.setRoute("tenant-api");
            assertThat(status(harness, acmeOnRoute)).isEqualTo(200);
            assertThat(status(harness, JwtTest.bearer(initech))).as("another route").isEqualTo(200);
        }
    }

    @Test
    void anonymousRequestsPassOnlyWhereNothingIsRequired() {
        Map<String, Object> config = Map.of("api-key", apiKeys(), "anonymous", true,
                "access", List.of(Map.of("path-prefix", "/private", "require", Map.of("groups", List.of("staff", "admins")))));
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config)) {
            TestExchange anonymous = TestExchange.get("/public").header("X-Consumer", "forged");
            assertThat(harness.request(anonymous).proceeds()).isTrue();
            assertThat(anonymous.attribute(Keys.CONSUMER)).isEmpty();
            assertThat(anonymous.request().headers().contains("X-Consumer")).isFalse();

            var response = harness.request(TestExchange.get("/private/x")).response().orElseThrow();
            assertThat(response.status()).as("authenticate first").isEqualTo(401);
            assertThat(response.headers().first("WWW-Authenticate")).hasValue("ApiKey realm=\"gatehouse\"");
            assertThat(status(harness, as("GET", "/private/x", BOB))).isEqualTo(200);
            assertThat(status(harness, as("GET", "/public", BOB + "wrong"))).as("a wrong key is refused even where anonymous passes")
                    .isEqualTo(401);
        }
    }

    @Test
    void severalMechanismsChallengeTogetherAndTheCredentialPicksOne() {
        Map<String, Object> config = Map.of("realm", "shop", "api-key", apiKeys(),
                "basic", Map.of("users", List.of(Map.of("name", "carol", "hash", Hashes.bcrypt("pw")))), "jwt", JwtTest.jwt());
        try (FilterHarness harness = FilterHarness.builder(new AuthFilterFactory()).config(config)
                .scheduler(io.gatehouse.api.testkit.ManualScheduler.startingAt(Tokens.NOW)).build()) {
            var response = harness.request(TestExchange.get("/")).response().orElseThrow();
            assertThat(response.headers().all("WWW-Authenticate"))
                    .containsExactly("ApiKey realm=\"shop\"", "Basic realm=\"shop\", charset=\"UTF-8\"", "Bearer realm=\"shop\"");
            assertThat(status(harness, as("GET", "/", ALICE))).isEqualTo(200);
            assertThat(status(harness, TestExchange.get("/").header("Authorization", BasicTest.basic("carol", "pw")))).isEqualTo(200);
            assertThat(status(harness, JwtTest.bearer(Tokens.sign(JwtTest.RSA, Tokens.claims().build())))).isEqualTo(200);
        }
    }

    @Test
    void explainSaysWhatWouldHappenWithoutCheckingAnything() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), Map.of("api-key", apiKeys()))) {
            TestExchange without = TestExchange.get("/");
            assertThat(harness.filter().explain(without)).containsExactly("no credentials (mechanisms: api-key): would answer 401");
            assertThat(without.attribute(Keys.EXPLAINED_ANSWER)).hasValue(401);
            TestExchange with = TestExchange.get("/").header("X-Api-Key", "anything");
            assertThat(harness.filter().explain(with)).containsExactly(
                    "credentials for api-key present (mechanisms: api-key); a dry run does not check them");
            assertThat(with.attribute(Keys.EXPLAINED_ANSWER)).isEmpty();
        }
    }

    @Test
    void routesInRulesAreReportedForTheStartUpCheck() {
        AuthFilterFactory factory = new AuthFilterFactory();
        AuthConfig config = factory.parseConfig(PluginConfig.of("filters[1].config", Map.of("api-key", apiKeys(),
                "require", Map.of("groups", List.of("staff")),
                "access", List.of(Map.of("methods", List.of("GET"), "require", Map.of("groups", List.of("x"))),
                        Map.of("route", List.of("admin", "ops"), "require", Map.of("groups", List.of("admins")))))));
        assertThat(factory.references(config).refersTo()).containsExactly(
                new References.Reference(References.Kind.ROUTE, "admin", "access[1].route[0]"),
                new References.Reference(References.Kind.ROUTE, "ops", "access[1].route[1]"));
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].config.api-key: configure at least one of api-key, basic, jwt, forward");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("api-key", apiKeys(), "access",
                List.of(Map.of("methods", List.of("GET"))))))
                .hasMessage("filters[0].config.access[0].require: an access rule needs require or deny");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("api-key", apiKeys(), "require",
                Map.of("scopes", "x"))))
                .hasMessageStartingWith("filters[0].config.require.scopes: unknown key");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("api-key", apiKeys(), "realm", "a\"b")))
                .hasMessageStartingWith("filters[0].config.realm: a realm is");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("api-key", apiKeys(), "access",
                List.of(Map.of("path-prefix", "/../x", "require", Map.of("groups", "a"))))))
                .hasMessageStartingWith("filters[0].config.access[0].path-prefix[0]: ");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("api-key", apiKeys(), "identity",
                Map.of("claims", Map.of("Authorization", "sub")))))
                .hasMessageStartingWith("filters[0].config.identity.claims: Authorization, Cookie and Host cannot carry the identity");
    }
}
