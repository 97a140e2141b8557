package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #13, item 1: a balancer with one cluster must not take over requests that an earlier
 * filter sent elsewhere; a request without a cluster goes to {@code default-cluster} only when
 * that key says so.
 */
class DefaultClusterIntegrationTest {

    private TestOrigin a;
    private TestOrigin b;
    private EmbeddedGatehouse gatehouse;

    @BeforeEach
    void startOrigins() {
        a = TestOrigin.start(Reply.ok("a"));
        b = TestOrigin.start(Reply.ok("b"));
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        a.close();
        b.close();
    }

    private void start(String balancerKeys) {
        String yaml = """
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: a, path-prefix: /a, upstream: "%s" }
                        - { name: b, path-prefix: /b, cluster: b }
                  - type: load-balancer
                    config:
                %s
                      clusters:
                        b: { endpoints: [ "%s" ] }
                """.formatted(a.url(), balancerKeys.indent(6).stripTrailing(), b.url());
        gatehouse = EmbeddedGatehouse.builder().config(yaml).filters(new RouterFilterFactory(), new LoadBalancerFilterFactory()).start();
    }

    @Test
    void aBalancerWithOneClusterLeavesTheRoutersUpstreamAlone() {
        start("");
        for (int i = 0; i < 10; i++) {
            assertThat(gatehouse.get("/a/" + i).body()).as("the router sent /a to upstream a").isEqualTo("a");
            assertThat(gatehouse.get("/b/" + i).body()).isEqualTo("b");
        }
        assertThat(b.requestCount(r -> r.path().startsWith("/a"))).isZero();
    }

    @Test
    void evenADefaultClusterLeavesTheRoutersUpstreamAlone() {
        start("default-cluster: b");
        assertThat(gatehouse.get("/a/1").body()).isEqualTo("a");
        assertThat(gatehouse.get("/b/1").body()).isEqualTo("b");
    }

    @Test
    void withoutDefaultClusterARequestNoFilterRoutedGoesToTheServerUpstream() {
        gatehouse = EmbeddedGatehouse.builder().upstream(a).config("""
                filters:
                  - type: load-balancer
                    config:
                      clusters:
                        b: { endpoints: [ "%s" ] }
                """.formatted(b.url())).filters(new LoadBalancerFilterFactory()).start();
        for (int i = 0; i < 5; i++) {
            assertThat(gatehouse.get("/x/" + i).body()).as("server.upstream, not the only cluster").isEqualTo("a");
        }
        assertThat(b.requestCount()).isZero();
    }

    @Test
    void aDefaultClusterTakesTheRequestsNoFilterRouted() {
        gatehouse = EmbeddedGatehouse.builder().upstream(a).config("""
                filters:
                  - type: load-balancer
                    config:
                      default-cluster: b
                      clusters:
                        b: { endpoints: [ "%s" ] }
                        c: { endpoints: [ "%s" ] }
                """.formatted(b.url(), a.url())).filters(new LoadBalancerFilterFactory()).start();
        for (int i = 0; i < 5; i++) {
            assertThat(gatehouse.get("/x/" + i).body()).isEqualTo("b");
        }
    }
}
