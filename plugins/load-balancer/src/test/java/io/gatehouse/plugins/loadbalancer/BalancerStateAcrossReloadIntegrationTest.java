package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.reload.ReloadResult;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Endpoint health and ejections survive a reload that leaves the balancer's entry unchanged. */
class BalancerStateAcrossReloadIntegrationTest {

    @TempDir
    Path dir;

    private final TestOrigin a = TestOrigin.start(Reply.ok("a")).answer("/healthz", Reply.status(200));
    private final TestOrigin b = TestOrigin.start(Reply.ok("b")).answer("/healthz", Reply.status(200));
    private final TestOrigin c = TestOrigin.start(Reply.ok("c")).answer("/healthz", Reply.status(200));
    private final HttpClient client = HttpClient.newHttpClient();
    private GatehouseServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        a.close();
        b.close();
        c.close();
    }

    private String yaml(String pathPrefix) {
        return """
                server: { listen: [ "127.0.0.1:0" ] }
                filters:
                  - type: router
                    config: { routes: [ { name: shop, path-prefix: %s, cluster: shop } ] }
                  - type: load-balancer
                    name: balancer
                    config:
                      clusters:
                        shop:
                          endpoints: [ "%s", "%s", "%s" ]
                          health-check: { path: /healthz, interval: 200ms, timeout: 1s, healthy-threshold: 2, unhealthy-threshold: 3 }
                          outlier-detection: { consecutive-errors: 3, base-ejection: 5m, max-ejected-percent: 50 }
                          panic-threshold: 0
                """.formatted(pathPrefix, a.url(), b.url(), c.url());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String status() {
        return server.filterStatus("balancer").orElseThrow();
    }

    @Test
    void healthAndEjectionsSurviveAReloadThatDoesNotTouchTheBalancer() throws Exception {
        server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml("/"), "test.yaml"),
                List.of(new RouterFilterFactory(), new LoadBalancerFilterFactory()));
        b.answer("/healthz", Reply.status(503));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(b.url() + " weight 1 unhealthy"));
        c.kill();
        for (int i = 0; i < 30; i++) {
            assertThat(get("/x").statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> status().contains(c.url() + " weight 1 unhealthy ejected"));

        ReloadResult reload = server.reload(new ConfigLoader(dir).parseDocument(yaml("/shop"), "reloaded.yaml"), "test");

        assertThat(reload.applied()).isTrue();
        assertThat(reload.carriedOver()).containsExactly("balancer");
        assertThat(status()).contains(b.url() + " weight 1 unhealthy", c.url() + " weight 1 unhealthy ejected");
        for (int i = 0; i < 30; i++) {
            assertThat(get("/shop/" + i).body()).isEqualTo("a");
        }
    }
}
