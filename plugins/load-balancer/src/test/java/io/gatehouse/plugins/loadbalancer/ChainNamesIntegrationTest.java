package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.ConfigException;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A route naming a cluster no balancer serves (a typo) stops start-up with the key, instead of sending its requests to 502. */
class ChainNamesIntegrationTest {

    private static EmbeddedGatehouse start(String yaml) {
        return EmbeddedGatehouse.builder().config(yaml).filters(new RouterFilterFactory(), new LoadBalancerFilterFactory()).start();
    }

    @Test
    void aRouteToAClusterThatNoBalancerServesIsAStartUpError() {
        assertThatThrownBy(() -> start("""
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: a, path-prefix: /a, upstream: "http://127.0.0.1:9" }
                        - { name: b, path-prefix: /b, cluster: bb }
                  - type: load-balancer
                    config:
                      clusters:
                        b: { endpoints: [ "http://127.0.0.1:9" ] }
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].config.routes[1].cluster: no load balancer serves a cluster named \"bb\" (clusters served: b)");
    }

    @Test
    void aBalancerPlacedBeforeTheRouterIsAStartUpError() {
        assertThatThrownBy(() -> start("""
                filters:
                  - type: load-balancer
                    config:
                      clusters:
                        b: { endpoints: [ "http://127.0.0.1:9" ] }
                  - type: router
                    config:
                      routes: [ { name: b, path-prefix: /b, cluster: b } ]
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("filters[1].config.routes[0].cluster: cluster \"b\" is served by filters[0] (load-balancer), "
                        + "which does not run after this filter: move the balancer later");
    }
}
