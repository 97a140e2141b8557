package io.gatehouse.plugins.canary;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.server.testkit.EmbeddedGatehouse;
import io.gatehouse.server.testkit.SimpleOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a real shadow origin receives from the canary's mirror. */
class MirrorIntegrationTest {

    private SimpleOrigin primary;
    private HttpServer shadow;
    private final BlockingQueue<Map<String, List<String>>> mirrored = new LinkedBlockingQueue<>();
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void start() throws IOException {
        primary = SimpleOrigin.start().respond(200, "primary");
        shadow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        shadow.createContext("/", exchange -> {
            mirrored.add(Map.copyOf(exchange.getRequestHeaders()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        shadow.start();
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        shadow.stop(0);
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
                          mirror: { upstream: "http://127.0.0.1:%d", percent: 100%s }
                  - type: load-balancer
                    config:
                      clusters:
                        stable: { endpoints: [ "%s" ] }
                """.formatted(shadow.getAddress().getPort(), mirrorOptions, primary.url()))
                .filters(new RouterFilterFactory(), new CanaryFilterFactory(), new LoadBalancerFilterFactory()).start();
    }

    /** Sends a request with credentials; returns the headers the shadow got (names lower-cased). */
    private Map<String, List<String>> mirrorOfRequestWithCredentials() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(gatehouse.uri("/account"))
                .header("Authorization", "Bearer production-token")
                .header("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0")
                .header("Cookie", "session=production-session")
                .header("X-Request-Tag", "t-1")
                .build();
        assertThat(gatehouse.send(request).body()).isEqualTo("primary");
        assertThat(primary.lastRequest().header("Authorization")).as("the primary gets them").hasValue("Bearer production-token");
        Map<String, List<String>> headers = mirrored.poll(10, TimeUnit.SECONDS);
        assertThat(headers).as("the shadow got the copy").isNotNull();
        Map<String, List<String>> lower = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        lower.putAll(headers);
        return lower;
    }

    @Test
    void byDefaultTheShadowGetsNoCredentials() throws Exception {
        startGatehouse("");
        Map<String, List<String>> headers = mirrorOfRequestWithCredentials();
        assertThat(headers).containsKeys(Mirror.MARKER, "X-Request-Tag");
        assertThat(headers).doesNotContainKeys("Authorization", "Cookie", "Proxy-Authorization");
    }

    @Test
    void forwardCredentialsSendsAuthorizationAndCookieButNeverProxyAuthorization() throws Exception {
        startGatehouse(", forward-credentials: true");
        Map<String, List<String>> headers = mirrorOfRequestWithCredentials();
        assertThat(headers.get("Authorization")).containsExactly("Bearer production-token");
        assertThat(headers.get("Cookie")).containsExactly("session=production-session");
        assertThat(headers).doesNotContainKey("Proxy-Authorization");
    }
}
