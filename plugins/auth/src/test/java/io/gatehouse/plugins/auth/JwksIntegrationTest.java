package io.gatehouse.plugins.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real key server (an OpenID Connect issuer: discovery document and JWKS, served by a {@link
 * TestOrigin}) behind a real Gatehouse: first fetch, rotation to a new {@code kid}, a key server
 * that is down, slow or answers garbage.
 */
class JwksIntegrationTest {

    static final Tokens.SigningKey K1 = Tokens.rsa("k1");
    static final Tokens.SigningKey K2 = Tokens.rsa("k2");

    private final AtomicReference<Reply> jwks = new AtomicReference<>(Reply.ok(Tokens.jwks(K1)).header("Content-Type", "application/json"));
    private TestOrigin keyServer;
    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void start() {
        keyServer = TestOrigin.start();
        keyServer.answer("/.well-known/openid-configuration", request -> Reply.ok(
                "{\"issuer\":\"" + keyServer.url() + "\",\"jwks_uri\":\"" + keyServer.url() + "/jwks.json\"}"));
        keyServer.answer("/jwks.json", request -> jwks.get());
        origin = TestOrigin.start();
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        origin.close();
        keyServer.close();
    }

    private void startGatehouse(String jwksOptions) {
        gatehouse = EmbeddedGatehouse.builder().config("""
                server: { io-threads: 1 }
                filters:
                  - type: auth
                    when: { path-prefix: /api }
                    config:
                      jwt:
                        issuer: "%s"
                        audience: orders-api
                        jwks: { %s }
                """.formatted(keyServer.url(), jwksOptions)).filters(new AuthFilterFactory()).upstream(origin).start();
    }

    /** A token valid now (the tests run on the real clock here). */
    private String token(Tokens.SigningKey key) {
        Instant now = Instant.now();
        JWTClaimsSet claims = Tokens.claims().issuer(keyServer.url()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).build();
        return Tokens.sign(key, claims);
    }

    private HttpRequest api(String token) {
        return HttpRequest.newBuilder(gatehouse.uri("/api/orders")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void aTokenSignedWithThePublishedKeyReachesTheOriginWithItsIdentity() {
        startGatehouse("min-refresh-interval: 1s");
        HttpResponse<String> response = gatehouse.send(api(token(K1)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(origin.lastRequest().header("X-Consumer")).hasValue("alice");
        assertThat(origin.lastRequest().header("Authorization")).isEmpty();
        assertThat(keyServer.requestCount("/.well-known/openid-configuration")).isEqualTo(1);
    }

    @Test
    void rotationToANewKidIsPickedUpOnTheFirstTokenThatUsesIt() {
        startGatehouse("min-refresh-interval: 1ms");
        assertThat(gatehouse.send(api(token(K1))).statusCode()).isEqualTo(200);
        int fetches = keyServer.requestCount("/jwks.json");

        jwks.set(Reply.ok(Tokens.jwks(K1, K2)));
        assertThat(gatehouse.send(api(token(K2))).statusCode()).isEqualTo(200);
        assertThat(keyServer.requestCount("/jwks.json")).isEqualTo(fetches + 1);
        assertThat(gatehouse.send(api(token(K1))).statusCode()).as("the old key still works while published").isEqualTo(200);

        jwks.set(Reply.ok(Tokens.jwks(K2)));
        assertThat(gatehouse.status("auth#0")).hasValueSatisfying(s -> assertThat(s).contains("fetched 2 keys [k1, k2]"));
    }

    @Test
    void requestsArrivingDuringTheFirstFetchWaitForIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        jwks.set(Reply.ok(Tokens.jwks(K1)).holdUntil(release));
        startGatehouse("min-refresh-interval: 1s, wait: 10s");
        keyServer.awaitRequests(2, Duration.ofSeconds(10)); // discovery, then the held JWKS fetch

        CompletableFuture<HttpResponse<String>> waiting = gatehouse.client().sendAsync(api(token(K1)), HttpResponse.BodyHandlers.ofString());
        assertThat(origin.requestCount()).isZero();
        release.countDown();
        assertThat(waiting.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(keyServer.requestCount("/jwks.json")).as("the waiting request joined the first fetch").isEqualTo(1);
    }

    @Test
    void aKeyServerThatIsDownGives503AndIsUsedOnceItComesBack() {
        keyServer.kill();
        startGatehouse("min-refresh-interval: 200ms, wait: 2s, timeout: 1s");
        long started = System.nanoTime();
        HttpResponse<String> refused = gatehouse.send(api(token(K1)));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("Service Unavailable: the keys to check tokens are not available\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        keyServer.revive();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> gatehouse.send(api(token(K1))).statusCode() == 200);
    }

    @Test
    void aSlowKeyServerNeitherBlocksTheIoThreadNorHoldsRequestsPastTheWait() throws Exception {
        jwks.set(Reply.ok(Tokens.jwks(K1)).delay(Duration.ofSeconds(8)));
        startGatehouse("min-refresh-interval: 1s, wait: 3s, timeout: 2s");
        CompletableFuture<HttpResponse<String>> waiting = gatehouse.client().sendAsync(api(token(K1)), HttpResponse.BodyHandlers.ofString());
        keyServer.awaitRequests(2, Duration.ofSeconds(10));

        long started = System.nanoTime();
        HttpResponse<String> other = gatehouse.get("/public");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the one I/O thread was free").isLessThan(Duration.ofSeconds(2));
        assertThat(waiting).isNotDone();

        assertThat(waiting.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    }

    @Test
    void garbageFromTheKeyServerGives503NeverA500() {
        jwks.set(Reply.ok("<html>maintenance</html>").header("Content-Type", "text/html"));
        startGatehouse("min-refresh-interval: 1s");
        assertThat(gatehouse.send(api(token(K1))).statusCode()).isEqualTo(503);
        assertThat(gatehouse.status("auth#0")).hasValueSatisfying(s -> assertThat(s).contains("the answer is not a JWK set"));
    }
}
