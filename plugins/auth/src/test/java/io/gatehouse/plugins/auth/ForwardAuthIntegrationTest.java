package io.gatehouse.plugins.auth;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A real auth service (a {@link TestOrigin}) behind a real Gatehouse: allow, deny, down, slow, cached. */
class ForwardAuthIntegrationTest {

    private TestOrigin authService;
    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void start() {
        authService = TestOrigin.start(request -> request.header("Authorization").orElse("").equals("Bearer good")
                ? Reply.status(200).header("X-User-Id", "u-1").header("X-Roles", "staff")
                : Reply.text(401, "login please").header("WWW-Authenticate", "Bearer realm=\"sso\""));
        origin = TestOrigin.start();
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        origin.close();
        authService.close();
    }

    private void startGatehouse(String options) {
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: auth
                    config:
                      forward:
                        url: "%s/check"
                        request-headers: [Authorization]
                        response-headers: [X-User-Id, X-Roles]
                        consumer-header: X-User-Id
                        timeout: 500ms
                        %s
                """.formatted(authService.url(), options)).filters(new AuthFilterFactory()).upstream(origin).start();
    }

    private HttpResponse<String> get(String authorization) {
        return gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/orders?id=7")).header("Authorization", authorization)
                .header("X-User-Id", "forged").timeout(Duration.ofSeconds(20)).build());
    }

    @Test
    void allowedRequestsReachTheOriginWithTheServiceFieldsAndNotTheForgedOnes() {
        startGatehouse("");
        HttpResponse<String> response = get("Bearer good");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(origin.lastRequest().header("X-User-Id")).hasValue("u-1");
        assertThat(origin.lastRequest().headers().all("X-User-Id")).hasSize(1);
        assertThat(origin.lastRequest().header("X-Roles")).hasValue("staff");
        assertThat(origin.lastRequest().header("X-Consumer")).hasValue("u-1");
        assertThat(authService.lastRequest().header("X-Forwarded-Uri")).hasValue("/orders?id=7");
        assertThat(authService.lastRequest().header("X-User-Id")).isEmpty();
    }

    @Test
    void deniedRequestsGetTheServicesAnswer() {
        startGatehouse("");
        HttpResponse<String> response = get("Bearer bad");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("login please");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"sso\"");
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void aServiceThatIsDownGives503ByDefault() {
        startGatehouse("");
        authService.kill();
        assertThat(get("Bearer good").statusCode()).isEqualTo(503);
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void aSlowServiceGives503AfterTheTimeout() {
        startGatehouse("");
        authService.answer(Reply.status(200).header("X-User-Id", "late").delay(Duration.ofSeconds(5)));
        long started = System.nanoTime();
        assertThat(get("Bearer good").statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3000));
    }

    @Test
    void failingOpenLetsRequestsThroughWithoutIdentity() {
        startGatehouse("on-failure: allow");
        authService.kill();
        assertThat(get("Bearer good").statusCode()).isEqualTo(200);
        assertThat(origin.lastRequest().header("X-User-Id")).as("the forged copy is removed all the same").isEmpty();
        assertThat(origin.lastRequest().header("X-Consumer")).isEmpty();
    }

    @Test
    void decisionsAreCachedByCredential() {
        startGatehouse("cache-ttl: 30s");
        for (int i = 0; i < 5; i++) {
            assertThat(get("Bearer good").statusCode()).isEqualTo(200);
            assertThat(get("Bearer bad").statusCode()).isEqualTo(401);
        }
        assertThat(authService.requestCount()).isEqualTo(2);
        assertThat(origin.lastRequest().header("X-User-Id")).hasValue("u-1");
    }
}
