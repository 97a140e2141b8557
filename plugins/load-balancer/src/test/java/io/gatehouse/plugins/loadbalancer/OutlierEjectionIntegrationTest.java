package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #20, item 6: clients must not be able to eject the endpoints of their choice. By default
 * only failures of the connection (refused, reset, timeout) count, not the 5xx answers a client
 * can provoke, and at most one endpoint in ten is ejected (at least one, never the last).
 */
class OutlierEjectionIntegrationTest {

    private final List<TestOrigin> origins = new ArrayList<>();
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        origins.forEach(TestOrigin::close);
    }

    /** Starts one origin per name (each answers its name, and 500 to {@code /boom}) and a balancer over them. */
    private void start(List<String> names, String clusterKeys) {
        List<String> urls = new ArrayList<>();
        for (String name : names) {
            TestOrigin origin = TestOrigin.start(Reply.ok(name)).answer("/boom", Reply.text(500, name + " failed"));
            origins.add(origin);
            urls.add("\"" + origin.url() + "\"");
        }
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: load-balancer
                    config:
                      default-cluster: shop
                      clusters:
                        shop:
                          endpoints: [ %s ]
                          sticky: { cookie: lb }
                %s
                """.formatted(String.join(", ", urls), clusterKeys.indent(10).stripTrailing()))
                .filters(new LoadBalancerFilterFactory()).start();
    }

    private HttpResponse<String> get(String path, String cookie) {
        return gatehouse.send(HttpRequest.newBuilder(gatehouse.uri(path)).header("Cookie", cookie).build());
    }

    /** @return a genuine sticky cookie that pins to the endpoint answering {@code name} */
    private String cookieFor(String name) {
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = get("/", "other=1");
            if (response.body().equals(name)) {
                String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
                return setCookie.substring(0, setCookie.indexOf(';'));
            }
        }
        throw new AssertionError("no response from " + name + " in 30 requests");
    }

    private int ejected() {
        Matcher m = Pattern.compile(" ejected ").matcher(gatehouse.status("load-balancer#0").orElseThrow());
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    @Test
    void fiveHundredsAClientProvokesDoNotEjectByDefault() {
        start(List.of("a", "b", "c"), "");
        String pinnedToC = cookieFor("c");
        for (int i = 0; i < 20; i++) {
            assertThat(get("/boom", pinnedToC).body()).isEqualTo("c failed");
        }
        assertThat(gatehouse.status("load-balancer#0").orElseThrow()).doesNotContain("ejected");
        assertThat(get("/", pinnedToC).body()).isEqualTo("c");
    }

    @Test
    void withCount5xxTheyDo() {
        start(List.of("a", "b", "c"), "outlier-detection: { count-5xx: true, consecutive-errors: 3, base-ejection: 5m }");
        String pinnedToC = cookieFor("c");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/boom", pinnedToC).body()).isEqualTo("c failed");
        }
        assertThat(gatehouse.status("load-balancer#0").orElseThrow()).contains(origins.get(2).url() + " weight 1 healthy ejected");
        assertThat(get("/", pinnedToC).body()).as("the cookie's endpoint is out: a normal pick").isIn("a", "b");
    }

    @Test
    void byDefaultOneEndpointOfFourIsEjectedAtMost() {
        start(List.of("a", "b", "c", "d"), "outlier-detection: { base-ejection: 5m }");
        origins.get(2).kill();
        origins.get(3).kill();
        for (int i = 0; i < 80; i++) {
            get("/", "other=1");
        }
        assertThat(ejected()).as("10 % of 4, but at least one").isEqualTo(1);
    }
}
