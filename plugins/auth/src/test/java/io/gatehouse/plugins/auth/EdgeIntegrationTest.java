package io.gatehouse.plugins.auth;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys, Basic and JWT through a real proxy: the identity reaches the origin and later
 * filters, forged identity fields never do, and malformed credentials on a raw socket get 401
 * (or 400), never 500.
 */
class EdgeIntegrationTest {

    static final String KEY = "edge-key-4f1c9a7b2e6d8053";
    static TestOrigin origin;
    static EmbeddedGatehouse gatehouse;

    /** A later filter of another kind that reads the consumer, as a rate limiter or an access log would. */
    static final class ConsumerEcho implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "consumer-echo";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    exchange.request().headers().set("X-Seen-Consumer", exchange.attribute(Keys.CONSUMER).orElse("-"));
                    return FilterResult.proceed();
                }
            };
        }
    }

    @BeforeAll
    static void start() {
        origin = TestOrigin.start();
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: auth
                    config:
                      api-key: { keys: [ { consumer: billing, groups: [billing], hash: "%s" } ] }
                      basic: { users: [ { name: alice, hash: "%s" } ] }
                      jwt: { keys: [ '%s' ], audience: orders-api }
                  - type: consumer-echo
                """.formatted(Hashes.sha256(KEY), Hashes.bcrypt("wonderland", 10), JwtTest.RSA.jwks()))
                .filters(new AuthFilterFactory(), new ConsumerEcho()).upstream(origin).start();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
        origin.close();
    }

    @Test
    void theConsumerReachesTheOriginAndLaterFiltersAndForgedFieldsDoNot() {
        HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/orders")).header("X-Api-Key", KEY)
                .header("X-Consumer", "admin").header("X-Consumer-Groups", "admins").build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(origin.lastRequest().headers().all("X-Consumer")).containsExactly("billing");
        assertThat(origin.lastRequest().headers().all("X-Consumer-Groups")).containsExactly("billing");
        assertThat(origin.lastRequest().header("X-Seen-Consumer")).hasValue("billing");
        assertThat(origin.lastRequest().header("X-Api-Key")).isEmpty();
    }

    @Test
    void concurrentBasicLoginsAreHashedOffTheIoThreadsAndAllAnswered() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String password = i % 3 == 0 ? "wrong-" + i : "wonderland";
            responses.add(gatehouse.client().sendAsync(HttpRequest.newBuilder(gatehouse.uri("/basic/" + i))
                    .header("Authorization", BasicTest.basic("alice", password)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < responses.size(); i++) {
            assertThat(responses.get(i).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(i % 3 == 0 ? 401 : 200);
        }
        assertThat(origin.requests().stream().filter(r -> r.path().startsWith("/basic/"))
                .allMatch(r -> r.header("X-Consumer").equals(java.util.Optional.of("alice")))).isTrue();
    }

    @Test
    void aValidTokenPasses() {
        HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/jwt"))
                .header("Authorization", "Bearer " + Tokens.sign(JwtTest.RSA, Tokens.claims()
                        .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(60))).build())).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(origin.lastRequest().header("X-Consumer")).hasValue("alice");
    }

    @Test
    void malformedCredentialsOnTheWireGet401Or400NeverA500() {
        List<String> heads = List.of(
                "Authorization: Basic !!!garbage!!!\r\n",
                "Authorization: Basic " + "QUFB".repeat(2000) + "\r\n",
                "Authorization: Bearer " + "eyJ".repeat(4000) + "\r\n",
                "Authorization: Bearer a.b.c\r\n",
                "Authorization: Bearer \u00ff\u00fe.\u00fd\r\n",
                "Authorization: Bearer x\r\nAuthorization: Bearer y\r\n",
                "Authorization: Digest username=\"a\"\r\n",
                "Authorization: \r\n",
                "X-Api-Key: \u00e9\u00e8\u00ff\r\n",
                "X-Api-Key: " + "k".repeat(3000) + "\r\n",
                "X-Api-Key: a\r\nX-Api-Key: b\r\n");
        for (String head : heads) {
            try (RawConnection raw = gatehouse.raw().timeout(Duration.ofSeconds(10))) {
                String response = raw.send("GET /raw HTTP/1.1\r\nHost: localhost\r\n" + head + "Connection: close\r\n\r\n").readResponse();
                String status = response.substring(9, 12);
                assertThat(status).as(head.length() > 80 ? head.substring(0, 80) : head).isIn("401", "400");
                assertThat(response).doesNotContain("garbage").doesNotContain("eyJeyJ");
            }
        }
        assertThat(origin.requests().stream().noneMatch(r -> r.path().equals("/raw"))).isTrue();
    }
}
