package io.gatehouse.plugins.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Response;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** JWT bearer tokens against static keys: every algorithm, and every way a token is refused. */
class JwtTest {

    static final Tokens.SigningKey RSA = Tokens.rsa("rsa-1");
    static final Tokens.SigningKey ATTACKER = Tokens.rsa("rsa-1");
    static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static Map<String, Object> jwt(Object... entries) {
        Map<String, Object> jwt = new HashMap<>(Map.of("keys", List.of(RSA.jwks()), "issuer", "https://id.example.com",
                "audience", "orders-api"));
        for (int i = 0; i < entries.length; i += 2) {
            jwt.put((String) entries[i], entries[i + 1]);
        }
        return jwt;
    }

    static FilterHarness harness(Map<String, Object> jwt) {
        return filter(Map.of("jwt", jwt));
    }

    static FilterHarness filter(Map<String, Object> config) {
        return FilterHarness.builder(new AuthFilterFactory()).config(config).scheduler(ManualScheduler.startingAt(Tokens.NOW)).build();
    }

    static TestExchange bearer(String token) {
        return TestExchange.get("/orders").header("Authorization", "Bearer " + token);
    }

    /** @return the refusal's WWW-Authenticate value */
    static String refusedWith(FilterHarness harness, TestExchange exchange, int status) {
        Response response = ApiKeyTest.refused(harness, exchange);
        assertThat(response.status()).isEqualTo(status);
        return response.headers().first("WWW-Authenticate").orElse("");
    }

    static String invalid(String description) {
        return "Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    @Test
    void aValidRs256TokenPassesWithItsSubjectGroupsAndClaims() {
        try (FilterHarness harness = filter(Map.of("jwt", jwt(), "identity", Map.of("claims", Map.of("X-Tenant", "tenant"))))) {
            String token = Tokens.sign(RSA, Tokens.with(Map.of("groups", List.of("ops", "dev"), "tenant", "acme")));
            TestExchange exchange = bearer(token).header("X-Tenant", "forged");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.attribute(Keys.CONSUMER)).hasValue("alice");
            assertThat(exchange.request().headers().first("X-Consumer")).hasValue("alice");
            assertThat(exchange.request().headers().first("X-Consumer-Groups")).hasValue("dev,ops");
            assertThat(exchange.request().headers().all("X-Tenant")).containsExactly("acme");
            assertThat(exchange.request().headers().contains("Authorization")).isFalse();
        }
    }

    @Test
    void claimsThatCannotBeSentAsTheyAreNeverReachTheOrigin() {
        try (FilterHarness harness = filter(Map.of("jwt", jwt(), "identity", Map.of("claims",
                Map.of("X-Email", "email", "X-Name", "name", "X-Address", "address"))))) {
            String token = Tokens.sign(RSA, Tokens.with(Map.of("email", "a@example.com\r\nX-Admin: yes", "name", "Zo\u00eb",
                    "address", Map.of("city", "Paris"), "groups", List.of("ok", "a,b"))));
            TestExchange exchange = bearer(token);
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.request().headers().contains("X-Email")).isFalse();
            assertThat(exchange.request().headers().contains("X-Admin")).isFalse();
            assertThat(exchange.request().headers().contains("X-Name")).isFalse();
            assertThat(exchange.request().headers().contains("X-Address")).isFalse();
            assertThat(exchange.request().headers().first("X-Consumer-Groups")).hasValue("ok");
        }
    }

    @Test
    void everyAsymmetricAlgorithmFamilyWorks() {
        List<Tokens.SigningKey> keys = List.of(Tokens.rsa("ps", JWSAlgorithm.PS256, 2048), Tokens.rsa("rs512", JWSAlgorithm.RS512, 3072),
                Tokens.ec("es256", JWSAlgorithm.ES256), Tokens.ec("es384", JWSAlgorithm.ES384), Tokens.ec("es512", JWSAlgorithm.ES512),
                Tokens.ed25519("ed"));
        Map<String, Object> config = jwt("keys", List.of(Tokens.jwks(keys.toArray(Tokens.SigningKey[]::new))),
                "algorithms", List.of("PS256", "RS512", "ES256", "ES384", "ES512", "EdDSA"));
        try (FilterHarness harness = harness(config)) {
            for (Tokens.SigningKey key : keys) {
                assertThat(harness.request(bearer(Tokens.sign(key, Tokens.claims().build()))).proceeds()).as(key.kid()).isTrue();
            }
        }
    }

    @Test
    void pemKeysAndHmacSecretsWork() {
        Tokens.SigningKey ec = Tokens.ec("x", JWSAlgorithm.ES256);
        Map<String, Object> config = jwt("keys", List.of(RSA.pem(), ec.pem()), "algorithms", List.of("RS256", "ES256", "HS256"),
                "hmac-secret", SECRET);
        try (FilterHarness harness = harness(config)) {
            assertThat(harness.request(bearer(Tokens.sign(RSA, Tokens.claims().build()))).proceeds()).isTrue();
            assertThat(harness.request(bearer(Tokens.sign(ec, Tokens.claims().build()))).proceeds()).isTrue();
            String hs = Tokens.hmac(SECRET.getBytes(StandardCharsets.UTF_8), JWSAlgorithm.HS256, Tokens.claims().build());
            assertThat(harness.request(bearer(hs)).proceeds()).isTrue();
        }
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        try (FilterHarness harness = harness(jwt())) {
            String forged = Tokens.sign(ATTACKER, Tokens.claims().build()); // same kid, other key
            assertThat(refusedWith(harness, bearer(forged), 401)).isEqualTo(invalid("the signature is invalid"));
        }
    }

    @Test
    void algorithmConfusionHs256SignedWithTheRsaPublicKeyIsRefused() throws Exception {
        byte[] publicKeyBytes = ((RSAKey) RSA.publicJwk()).toRSAPublicKey().getEncoded();
        byte[] pemBytes = RSA.pem().getBytes(StandardCharsets.US_ASCII);
        try (FilterHarness onlyRs = harness(jwt())) {
            String confused = Tokens.hmac(pemBytes, JWSAlgorithm.HS256, Tokens.claims().build());
            assertThat(refusedWith(onlyRs, bearer(confused), 401)).isEqualTo(invalid("the token's algorithm is not accepted"));
        }
        try (FilterHarness both = harness(jwt("algorithms", List.of("RS256", "HS256"), "hmac-secret", SECRET))) {
            for (byte[] secret : List.of(publicKeyBytes, pemBytes)) {
                String confused = Tokens.hmac(secret, JWSAlgorithm.HS256, Tokens.claims().build());
                assertThat(refusedWith(both, bearer(confused), 401)).as("an RSA key never becomes an HMAC secret")
                        .isEqualTo(invalid("the signature is invalid"));
            }
        }
    }

    @Test
    void unsignedTokensAreRefused() {
        try (FilterHarness harness = harness(jwt())) {
            assertThat(refusedWith(harness, bearer(Tokens.unsigned(Tokens.claims().build())), 401))
                    .isEqualTo(invalid("the token is malformed"));
            String noneWithSignature = Tokens.unsigned(Tokens.claims().build()) + "c2ln";
            assertThat(refusedWith(harness, bearer(noneWithSignature), 401)).startsWith("Bearer realm=\"gatehouse\", error=\"invalid_token\"");
        }
    }

    @Test
    void anEmbeddedJwkOrJkuIsNeverTrusted() {
        try (FilterHarness harness = harness(jwt())) {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(ATTACKER.publicJwk())
                    .jwkURL(java.net.URI.create("https://evil.example/jwks")).build();
            assertThat(refusedWith(harness, bearer(Tokens.sign(ATTACKER, header, Tokens.claims().build())), 401))
                    .isEqualTo(invalid("no key matches the token"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../../etc/passwd", "/dev/random", "http://evil.example/key", "rsa-1/../rsa-1", "%00", ""})
    void kidTricksFindNoKey(String kid) {
        try (FilterHarness harness = harness(jwt())) {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, header, Tokens.claims().build())), 401))
                    .isEqualTo(invalid("no key matches the token"));
        }
    }

    @Test
    void timeClaimsAreCheckedWithTheClockSkew() {
        try (FilterHarness harness = harness(jwt("clock-skew", "30s"))) {
            JWTClaimsSet expired = Tokens.claims().expirationTime(Date.from(Tokens.NOW.minusSeconds(31))).build();
            JWTClaimsSet justExpired = Tokens.claims().expirationTime(Date.from(Tokens.NOW.minusSeconds(29))).build();
            JWTClaimsSet early = Tokens.claims().notBeforeTime(Date.from(Tokens.NOW.plusSeconds(31))).build();
            JWTClaimsSet almost = Tokens.claims().notBeforeTime(Date.from(Tokens.NOW.plusSeconds(29))).build();
            JWTClaimsSet noExp = Tokens.claims().expirationTime(null).build();
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, expired)), 401)).isEqualTo(invalid("the token has expired"));
            assertThat(harness.request(bearer(Tokens.sign(RSA, justExpired))).proceeds()).isTrue();
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, early)), 401)).isEqualTo(invalid("the token is not valid yet"));
            assertThat(harness.request(bearer(Tokens.sign(RSA, almost))).proceeds()).isTrue();
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, noExp)), 401)).isEqualTo(invalid("the token has no expiry"));
        }
    }

    @Test
    void issuerAudienceAndSubjectAreChecked() {
        try (FilterHarness harness = harness(jwt())) {
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, Tokens.claims().issuer("https://evil.example").build())), 401))
                    .isEqualTo(invalid("the token's issuer is not accepted"));
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, Tokens.claims().audience("billing-api").build())), 401))
                    .isEqualTo(invalid("the token's audience is not accepted"));
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, Tokens.claims().audience(List.of()).build())), 401))
                    .isEqualTo(invalid("the token's audience is not accepted"));
            assertThat(harness.request(bearer(Tokens.sign(RSA, Tokens.claims().audience(List.of("x", "orders-api")).build()))).proceeds())
                    .isTrue();
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, Tokens.claims().subject(null).build())), 401))
                    .isEqualTo(invalid("the token names no subject"));
        }
    }

    @Test
    void garbageOversizedEncryptedAndMalformedTokens() {
        try (FilterHarness harness = harness(jwt("max-token-size", "1KiB"))) {
            assertThat(refusedWith(harness, bearer("a.b.c"), 401)).isEqualTo(invalid("the token is malformed"));
            assertThat(refusedWith(harness, bearer("abc"), 401)).isEqualTo(invalid("the token is malformed"));
            assertThat(refusedWith(harness, bearer("x".repeat(2000)), 401)).isEqualTo(invalid("the token is too large"));
            assertThat(refusedWith(harness, bearer("a.b.c.d.e"), 401)).isEqualTo(invalid("encrypted tokens are not accepted"));
            String badJson = Base64URL.encode("{\"alg\":".getBytes(StandardCharsets.UTF_8)) + ".e30.c2ln";
            assertThat(refusedWith(harness, bearer(badJson), 401)).isEqualTo(invalid("the token is malformed"));
            String token = Tokens.sign(RSA, Tokens.claims().build());
            String badClaims = token.substring(0, token.indexOf('.') + 1) + "bm90IGpzb24" + token.substring(token.lastIndexOf('.'));
            assertThat(refusedWith(harness, bearer(badClaims), 401)).isEqualTo(invalid("the signature is invalid"));

            String malformed = "Bearer realm=\"gatehouse\", error=\"invalid_request\", "
                    + "error_description=\"expected one Authorization: Bearer field with a token\"";
            assertThat(refusedWith(harness, bearer("a b"), 400)).isEqualTo(malformed);
            assertThat(refusedWith(harness, bearer("t\u00f6ken"), 400)).isEqualTo(malformed);
            assertThat(refusedWith(harness, TestExchange.get("/").header("Authorization", "Bearer ").header("X", "y"), 400)).isEqualTo(malformed);
            assertThat(refusedWith(harness, bearer(token).header("Authorization", "Bearer " + token), 400)).isEqualTo(malformed);
        }
    }

    @Test
    void criticalHeaderParametersAreRefused() {
        try (FilterHarness harness = harness(jwt())) {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").type(JOSEObjectType.JWT)
                    .criticalParams(java.util.Set.of("exp-policy")).customParam("exp-policy", "lax").build();
            assertThat(refusedWith(harness, bearer(Tokens.sign(RSA, header, Tokens.claims().build())), 401))
                    .isEqualTo(invalid("the signature is invalid"));
        }
    }

    @Test
    void withoutATokenTheChallengeHasNoError() {
        try (FilterHarness harness = harness(jwt())) {
            assertThat(refusedWith(harness, TestExchange.get("/"), 401)).isEqualTo("Bearer realm=\"gatehouse\"");
            assertThat(refusedWith(harness, TestExchange.get("/").header("Authorization", "Basic YTpi"), 401))
                    .as("another scheme is no bearer token").isEqualTo("Bearer realm=\"gatehouse\"");
        }
    }

    @Test
    void scopesAreRequiredPerMethodWithAnInsufficientScopeChallenge() {
        Map<String, Object> config = Map.of("jwt", jwt(), "access", List.of(
                Map.of("methods", List.of("POST", "DELETE"), "require", Map.of("scope", "orders:write")),
                Map.of("require", Map.of("scope", "orders:read"))));
        try (FilterHarness harness = filter(config)) {
            String reader = Tokens.sign(RSA, Tokens.with(Map.of("scope", "orders:read profile")));
            String writer = Tokens.sign(RSA, Tokens.with(Map.of("scope", "orders:read orders:write")));
            assertThat(harness.request(bearer(reader)).proceeds()).isTrue();
            assertThat(harness.request(TestExchange.request("POST", "/orders").header("Authorization", "Bearer " + writer)).proceeds()).isTrue();
            assertThat(refusedWith(harness, TestExchange.request("POST", "/orders").header("Authorization", "Bearer " + reader), 403))
                    .isEqualTo("Bearer realm=\"gatehouse\", error=\"insufficient_scope\", "
                            + "error_description=\"the token lacks a required scope\", scope=\"orders:write\"");
            String scp = Tokens.sign(RSA, Tokens.with(Map.of("scp", List.of("orders:read"))));
            assertThat(ApiKeyTest.refused(harness, bearer(scp)).status()).as("scope-claim is scope").isEqualTo(403);
        }
    }

    @Test
    void configRefusesNoneWeakKeysAndMissingKeys() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness(jwt("algorithms", List.of("RS256", "none"))))
                .hasMessage("filters[0].config.jwt.algorithms[1]: unsigned tokens (none) are never accepted");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness(jwt("algorithms", List.of("HS256"), "keys", List.of())))
                .hasMessage("filters[0].config.jwt.algorithms: HS algorithms need an hmac-secret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness(jwt("algorithms", List.of("HS512"), "hmac-secret", SECRET.substring(0, 40))))
                .hasMessage("filters[0].config.jwt.hmac-secret: must be at least 64 bytes for the HS algorithms listed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness(jwt("keys", List.of(Tokens.rsa("weak", JWSAlgorithm.RS256, 1024).jwks()))))
                .hasMessageStartingWith("filters[0].config.jwt.keys: key weak (RSA) not usable");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> filter(Map.of("jwt", Map.of("audience", "x"))))
                .hasMessageStartingWith("filters[0].config.jwt.issuer: give the keys");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness(jwt("keys", List.of("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))))
                .hasMessageStartingWith("filters[0].config.jwt.keys[0]: a private key");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness(jwt("jwks-url", "ftp://keys")))
                .hasMessageStartingWith("filters[0].config.jwt.jwks-url: expected an http or https URL");
    }

    @Test
    void ecSignaturesAreCheckedOnTheBlockingExecutorAndAVerifiedTokenIsRemembered() {
        Tokens.SigningKey ec = Tokens.ec("ec", JWSAlgorithm.ES256);
        ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);
        Map<String, Object> config = Map.of("jwt", jwt("keys", List.of(ec.jwks()), "algorithms", List.of("ES256"), "max-pending", 2));
        try (FilterHarness harness = FilterHarness.builder(new AuthFilterFactory()).config(config).scheduler(time).build()) {
            String token = Tokens.sign(ec, Tokens.claims().build());
            java.util.concurrent.CompletableFuture<FilterResult> first = harness.requestAsync(bearer(token));
            assertThat(first).as("about a millisecond of CPU: not on the calling thread").isNotDone();
            time.runDueTasks();
            assertThat(first).isCompletedWithValueMatching(FilterResult::proceeds);

            TestExchange again = bearer(token);
            assertThat(harness.requestAsync(again)).as("remembered: no second check").isCompletedWithValueMatching(FilterResult::proceeds);
            assertThat(again.attribute(Keys.CONSUMER)).hasValue("alice");
            assertThat(again.request().headers().contains("Authorization")).isFalse();

            List<java.util.concurrent.CompletableFuture<FilterResult>> others = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                others.add(harness.requestAsync(bearer(Tokens.sign(ec, Tokens.claims().subject("u" + i).build()))));
            }
            assertThat(others.get(2).join().response().orElseThrow().status()).as("past max-pending").isEqualTo(503);
            time.runDueTasks();
            assertThat(others.get(0)).isCompletedWithValueMatching(FilterResult::proceeds);

            time.advance(Duration.ofMinutes(61)); // past exp + skew: a remembered token is checked against the clock again
            assertThat(harness.requestAsync(bearer(token))).isNotDone();
            time.runDueTasks();
        }
    }

    @Test
    void aLaterClockExpiresAToken() {
        ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);
        try (FilterHarness harness = FilterHarness.builder(new AuthFilterFactory()).config(Map.of("jwt", jwt())).scheduler(time).build()) {
            String token = Tokens.sign(RSA, Tokens.claims().build());
            assertThat(harness.request(bearer(token)).proceeds()).isTrue();
            time.advance(Duration.ofMinutes(62));
            FilterResult later = harness.request(bearer(token));
            assertThat(later.response().orElseThrow().status()).isEqualTo(401);
        }
    }
}
