package io.gatehouse.plugins.canary;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.server.testkit.EmbeddedGatehouse;
import io.gatehouse.server.testkit.SimpleOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mirror behind an asynchronous filter (a slow authentication check, say): the client's body
 * streams in while that filter is pending, and the copy the shadow gets is still the whole body,
 * never a shorter one that looks complete.
 */
class MirrorBehindAsyncFilterIntegrationTest {

    private static final int BODY = 40 * 1024;

    private final BlockingQueue<Integer> mirroredLengths = new LinkedBlockingQueue<>();
    private SimpleOrigin primary;
    private HttpServer shadow;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (shadow != null) {
            shadow.stop(0);
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void theShadowGetsTheWholeBodyThatArrivedWhileAnEarlierFilterWasPending() throws Exception {
        primary = SimpleOrigin.start().respond(200, "primary");
        shadow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        shadow.createContext("/", exchange -> {
            mirroredLengths.add(exchange.getRequestBody().readAllBytes().length);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        shadow.start();
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: slow
                  - type: router
                    config:
                      routes: [ { name: app, path-prefix: /, cluster: app } ]
                  - type: canary
                    config:
                      splits:
                        - name: release
                          from: app
                          to: [ { cluster: stable, weight: 100 } ]
                          mirror: { upstream: "http://127.0.0.1:%d", percent: 100, max-body: 64KiB }
                  - type: load-balancer
                    config:
                      clusters:
                        stable: { endpoints: [ "%s" ] }
                """.formatted(shadow.getAddress().getPort(), primary.url()))
                .filters(new Slow(), new RouterFilterFactory(), new CanaryFilterFactory(), new LoadBalancerFilterFactory()).start();
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) 'm');

        assertThat(gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()).body()).isEqualTo("primary");

        assertThat(primary.lastRequest().body()).hasSize(BODY);
        assertThat(mirroredLengths.poll(10, TimeUnit.SECONDS)).as("the body the shadow got").isEqualTo(BODY);
    }

    /** {@code slow}: onRequest completes 150 ms later on another thread, while the body streams in. */
    static final class Slow implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "slow";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return (Exchange exchange) -> later();
        }

        private static CompletionStage<FilterResult> later() {
            return CompletableFuture.supplyAsync(FilterResult::proceedResult, CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS));
        }
    }
}
