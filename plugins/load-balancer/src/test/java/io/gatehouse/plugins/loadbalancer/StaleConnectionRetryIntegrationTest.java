package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pooled connection the origin closed while idle is not the endpoint's failure (no outlier
 * ejection), and the core's retry of it is charged to the cluster's retry budget.
 */
class StaleConnectionRetryIntegrationTest {

    private TestOrigin origin;
    private TestOrigin other;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (other != null) {
            other.close();
        }
    }

    /** Answers the first request of each connection, and drops the connection at the next one, unanswered. */
    private static TestOrigin answerOnceThenDropTheNextRequest() {
        Set<Integer> answered = ConcurrentHashMap.newKeySet();
        return TestOrigin.start(request -> answered.add(request.connection()) ? Reply.ok("fresh") : Reply.drop());
    }

    private void start(String retries) {
        origin = answerOnceThenDropTheNextRequest();
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: load-balancer
                    config:
                      default-cluster: shop
                      clusters:
                        shop:
                          endpoints: [ "%s" ]
                          outlier-detection: { consecutive-errors: 1, base-ejection: 5m, max-ejected-percent: 100 }
                          retries: %s
                """.formatted(origin.url(), retries)).filters(new LoadBalancerFilterFactory()).start();
    }

    @Test
    void aStalePooledConnectionIsRetriedWithoutEjectingTheEndpoint() {
        // Two endpoints, since the last available one is never ejected; every request has the same
        // hash key, so it goes to the same endpoint while that one is in.
        origin = answerOnceThenDropTheNextRequest();
        other = answerOnceThenDropTheNextRequest();
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: load-balancer
                    config:
                      default-cluster: shop
                      clusters:
                        shop:
                          endpoints: [ "%s", "%s" ]
                          policy: consistent-hash
                          hash-key: path
                          outlier-detection: { consecutive-errors: 1, base-ejection: 5m, max-ejected-percent: 50 }
                          retries: { attempts: 0 }
                """.formatted(origin.url(), other.url())).filters(new LoadBalancerFilterFactory()).start();
        assertThat(gatehouse.get("/x").body()).isEqualTo("fresh");
        TestOrigin owner = origin.requestCount() == 1 ? origin : other;

        HttpResponse<String> second = gatehouse.get("/x"); // goes out on the owner's pooled connection, which it drops

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("fresh");
        assertThat(gatehouse.status("load-balancer#0").orElseThrow()).contains(owner.url()).doesNotContain("ejected");
        int before = owner.connectionsAccepted();
        assertThat(gatehouse.get("/x").statusCode()).as("the owner still serves").isEqualTo(200);
        assertThat(owner.connectionsAccepted()).as("on a new connection").isEqualTo(before + 1);
    }

    @Test
    void theStaleConnectionRetryIsChargedToTheRetryBudget() {
        start("{ attempts: 0, min-retries: 0, budget-percent: 0 }");
        assertThat(gatehouse.get("/1").body()).isEqualTo("fresh");

        HttpResponse<String> second = gatehouse.get("/2");

        assertThat(second.statusCode()).as("no budget left for the retry").isEqualTo(502);
        assertThat(origin.connectionsAccepted()).isEqualTo(1);
    }
}
