package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #13, item 12: an endpoint that outlier detection ejected comes back as soon as its active
 * health check passes again, not only when its ejection runs out.
 */
class HealthCheckReadmissionIntegrationTest {

    private static int ejectionsOf(EmbeddedGatehouse gatehouse, TestOrigin origin) {
        String line = gatehouse.status("load-balancer#0").orElseThrow().lines().filter(l -> l.contains(origin.url() + " "))
                .findFirst().orElseThrow();
        return Integer.parseInt(line.substring(line.indexOf(" ejections ") + " ejections ".length()).trim());
    }

    @Test
    void anEjectedEndpointWhoseHealthCheckPassesIsBackBeforeItsEjectionRunsOut() {
        try (TestOrigin a = TestOrigin.start(Reply.ok("a"));
             TestOrigin b = TestOrigin.start(Reply.reset()).answer("/healthz", Reply.ok("up"));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config("""
                     filters:
                       - type: load-balancer
                         config:
                           default-cluster: shop
                           clusters:
                             shop:
                               endpoints: [ "%s", "%s" ]
                               health-check: { path: /healthz, interval: 100ms, timeout: 1s }
                               outlier-detection: { consecutive-errors: 1, base-ejection: 10m, max-ejection: 10m, max-ejected-percent: 50 }
                               retries: { attempts: 2 }
                     """.formatted(a.url(), b.url())).filters(new LoadBalancerFilterFactory()).start()) {
            // b resets the connections of requests (its health check still passes): ejected for ten minutes
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                gatehouse.get("/");
                return ejectionsOf(gatehouse, b) > 0;
            });

            b.answer(Reply.ok("b")); // b recovers: with its health check passing it is back at once
            Set<String> answered = new HashSet<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                answered.add(gatehouse.get("/").body());
                return answered.contains("b");
            });

            assertThat(gatehouse.status("load-balancer#0").orElseThrow().lines().filter(l -> l.contains(b.url() + " ")))
                    .singleElement().asString().doesNotContain(" ejected");
        }
    }
}
