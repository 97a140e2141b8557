package io.gatehouse.plugins.canary;

import io.gatehouse.api.HttpFields;
import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a real shadow origin receives from the canary's mirror. */
class MirrorIntegrationTest {

    private TestOrigin primary;
    private TestOrigin shadow;
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void start() {
        primary = TestOrigin.start(Reply.ok("primary"));
        shadow = TestOrigin.start(Reply.status(204));
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        shadow.close();
        primary.close();
    }

    private void startGatehouse(String mirrorOptions) {
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: router
                    config:
                      routes: [ { name: app, path-prefix: /, cluster: app } ]
                  - type: canary
                    config:
                      splits:
                        - name: release
                          from: app
                          to: [ { cluster: stable, weight: 100 } ]
                          mirror: { upstream: "%s", percent: 100%s }
                  - type: load-balancer
                    config:
                      clusters:
                        stable: { endpoints: [ "%s" ] }
                """.formatted(shadow.url(), mirrorOptions, primary.url()))
                .filters(new RouterFilterFactory(), new CanaryFilterFactory(), new LoadBalancerFilterFactory()).start();
    }

    /** Sends a request with credentials; returns the headers the shadow got. */
    private HttpFields mirrorOfRequestWithCredentials() {
        HttpRequest request = HttpRequest.newBuilder(gatehouse.uri("/account"))
                .header("Authorization", "Bearer production-token")
                .header("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0")
                .header("Cookie", "session=production-session")
                .header("X-Request-Tag", "t-1")
                .build();
        assertThat(gatehouse.send(request).body()).isEqualTo("primary");
        assertThat(primary.lastRequest().header("Authorization")).as("the primary gets them").hasValue("Bearer production-token");
        return shadow.awaitRequests(1, Duration.ofSeconds(10)).get(0).headers();
    }

    @Test
    void byDefaultTheShadowGetsNoCredentials() {
        startGatehouse("");
        HttpFields headers = mirrorOfRequestWithCredentials();
        assertThat(headers.contains(Mirror.MARKER)).isTrue();
        assertThat(headers.contains("X-Request-Tag")).isTrue();
        assertThat(List.of("Authorization", "Cookie", "Proxy-Authorization")).noneMatch(headers::contains);
    }

    @Test
    void forwardCredentialsSendsAuthorizationAndCookieButNeverProxyAuthorization() {
        startGatehouse(", forward-credentials: true");
        HttpFields headers = mirrorOfRequestWithCredentials();
        assertThat(headers.all("Authorization")).containsExactly("Bearer production-token");
        assertThat(headers.all("Cookie")).containsExactly("session=production-session");
        assertThat(headers.contains("Proxy-Authorization")).isFalse();
    }
}
