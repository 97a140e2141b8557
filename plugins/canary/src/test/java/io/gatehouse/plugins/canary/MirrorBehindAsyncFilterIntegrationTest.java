package io.gatehouse.plugins.canary;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.plugins.loadbalancer.LoadBalancerFilterFactory;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mirror behind an asynchronous filter (a slow authentication check, say): the client's body
 * streams in while that filter is pending, and the copy the shadow gets is still the whole body,
 * never a shorter one that looks complete.
 */
class MirrorBehindAsyncFilterIntegrationTest {

    private static final int BODY = 40 * 1024;

    private TestOrigin primary;
    private TestOrigin shadow;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (shadow != null) {
            shadow.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void theShadowGetsTheWholeBodyThatArrivedWhileAnEarlierFilterWasPending() {
        primary = TestOrigin.start(Reply.ok("primary"));
        shadow = TestOrigin.start(Reply.status(204));
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
                          mirror: { upstream: "%s", percent: 100, max-body: 64KiB }
                  - type: load-balancer
                    config:
                      clusters:
                        stable: { endpoints: [ "%s" ] }
                """.formatted(shadow.url(), primary.url()))
                .filters(new Slow(), new RouterFilterFactory(), new CanaryFilterFactory(), new LoadBalancerFilterFactory()).start();
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) 'm');

        assertThat(gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()).body()).isEqualTo("primary");

        assertThat(primary.lastRequest().body()).hasSize(BODY);
        assertThat(shadow.awaitRequests(1, Duration.ofSeconds(10)).get(0).bodyLength()).as("the body the shadow got").isEqualTo(BODY);
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
