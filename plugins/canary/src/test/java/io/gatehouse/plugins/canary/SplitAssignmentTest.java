package io.gatehouse.plugins.canary;

import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutcome;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** How requests are shared between the sides of a split. */
class SplitAssignmentTest {

    private static SplitState state(String yaml) {
        Map<String, Object> map = new Yaml().load(yaml);
        return new SplitState(SplitParser.splits(PluginConfig.of("filters[1].config", map)).get(0));
    }

    private static TestExchange request() {
        TestExchange exchange = TestExchange.get("/");
        exchange.setCluster("users");
        return exchange;
    }

    /** Records an upstream's answer to a request the weights sent to {@code target}. */
    private static void record(SplitState state, int target, int status, long nowMillis) {
        state.recordOutcome(new SplitState.Assignment(target, "weight", false), TestOutcome.completed(status).attempts(1).build(), nowMillis);
    }

    @Test
    void weights90To10HoldWithin1Point5OverTenThousandRequests() {
        SplitState state = state("""
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 90 }, { cluster: canary, weight: 10 } ]
                """);
        int canary = 0;
        for (int i = 0; i < 10_000; i++) {
            if (state.assign(request()).target() == 1) {
                canary++;
            }
        }
        assertThat(canary / 100.0).isCloseTo(10.0, within(1.5));
    }

    @Test
    void overridesWinOverWeights() {
        SplitState state = state("""
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 100 }, { cluster: canary, weight: 0 } ]
                    override: { header: X-Canary, cookie: canary }
                """);
        assertThat(state.assign(request().header("X-Canary", "always")).target()).isEqualTo(1);
        assertThat(state.assign(request().header("X-Canary", "canary")).target()).isEqualTo(1);
        assertThat(state.assign(request().header("Cookie", "canary=always")).target()).isEqualTo(1);
        assertThat(state.assign(request().header("X-Canary", "never")).target()).isEqualTo(0);
        assertThat(state.assign(request().header("X-Canary", "bogus")).target()).isEqualTo(0);
        assertThat(state.assign(request().header("X-Canary", "always")).reason()).isEqualTo("override");
    }

    @Test
    void hashingKeepsAUserOnItsSideAcrossInstancesAndRestarts() {
        String yaml = """
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 50 }, { cluster: canary, weight: 50 } ]
                    sticky: { hash: header:X-User }
                """;
        SplitState first = state(yaml);
        SplitState restarted = state(yaml);
        Map<String, Integer> sides = new HashMap<>();
        int canary = 0;
        for (int u = 0; u < 1000; u++) {
            int side = first.assign(request().header("X-User", "user-" + u)).target();
            sides.put("user-" + u, side);
            canary += side;
        }
        for (int u = 0; u < 1000; u++) {
            assertThat(restarted.assign(request().header("X-User", "user-" + u)).target()).isEqualTo(sides.get("user-" + u));
            assertThat(first.assign(request().header("X-User", "user-" + u)).target()).isEqualTo(sides.get("user-" + u));
        }
        assertThat(canary).isBetween(420, 580);
        // A known key lands on a known side: the hash is CRC-32C, not the JVM's String.hashCode.
        assertThat(SplitState.hash("user-1")).isEqualTo(SplitState.hash("user-1"));
        assertThat(first.assign(request().header("X-User", "user-1")).reason()).isEqualTo("hash");
    }

    @Test
    void aStickyCookieNamesTheSideAndIsHonouredWhileItHasWeight() {
        SplitState state = state("""
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 50 }, { cluster: canary, weight: 50 } ]
                    sticky: { cookie: side }
                """);
        SplitState.Assignment fresh = state.assign(request());
        assertThat(fresh.setCookie()).isTrue();
        for (int i = 0; i < 100; i++) {
            SplitState.Assignment again = state.assign(request().header("Cookie", "side=canary"));
            assertThat(again.target()).isEqualTo(1);
            assertThat(again.setCookie()).isFalse();
        }
    }

    @Test
    void aFailingCanaryIsRolledBack() {
        SplitState state = state("""
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 50 }, { cluster: canary, weight: 50 } ]
                    rollback: { window: 10s, min-requests: 10, max-error-percent: 20 }
                """);
        long now = 1_000_000;
        for (int i = 0; i < 9; i++) {
            record(state, 1, 503, now);
        }
        assertThat(state.rolledBack()).as("fewer requests than min-requests decide nothing").isFalse();
        record(state, 0, 500, now); // the stable side does not count
        assertThat(state.rolledBack()).isFalse();
        record(state, 1, 200, now + 1000); // 10 canary requests, 9 failed: 90 % > 20 %
        assertThat(state.rolledBack()).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(state.assign(request()).target()).isZero();
        }
        assertThat(state.status()).contains("(rolled back)", "canary weight 0");
    }

    @Test
    void forcedAndUnjudgedRequestsNeitherRollBackNorDiluteTheFailures() {
        SplitState state = state("""
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 50 }, { cluster: canary, weight: 50 } ]
                    override: { header: X-Canary }
                    rollback: { window: 10s, min-requests: 10, max-error-percent: 20 }
                """);
        long now = 1_000_000;
        SplitState.Assignment forced = state.assign(request().header("X-Canary", "always"));
        assertThat(forced.forced()).isTrue();
        for (int i = 0; i < 1000; i++) {
            state.recordOutcome(forced, TestOutcome.completed(200).attempts(1).build(), now); // healthy, but forced
            state.recordOutcome(new SplitState.Assignment(1, "weight", false), TestOutcome.aborted().attempts(1).build(), now);
            state.recordOutcome(new SplitState.Assignment(1, "weight", false), TestOutcome.completed(500).detail("filter_failed").build(), now);
        }
        assertThat(state.rolledBack()).isFalse();
        assertThat(state.status()).contains("0 of 0 judged canary requests failed in the last 10s (rolls back over 20%)",
                "not judged: 2000 without an upstream answer, 1000 forced by override");
        for (int i = 0; i < 10; i++) {
            record(state, 1, 503, now);
        }
        assertThat(state.rolledBack()).as("10 failures of 10 judged requests, whatever was forced").isTrue();
    }

    @Test
    void aRolledBackCanaryIsNotReachedByOverridesUnlessTheSplitSaysSo() {
        String yaml = """
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 50 }, { cluster: canary, weight: 50 } ]
                    override: { header: X-Canary%s }
                    rollback: { window: 10s, min-requests: 1, max-error-percent: 20 }
                """;
        SplitState closed = state(yaml.formatted(""));
        SplitState open = state(yaml.formatted(", after-rollback: true"));
        for (SplitState state : java.util.List.of(closed, open)) {
            record(state, 1, 500, 1_000_000);
            assertThat(state.rolledBack()).isTrue();
            assertThat(state.assign(request().header("X-Canary", "never")).target()).isZero();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(closed.assign(request().header("X-Canary", "always")).target()).isZero();
            assertThat(closed.assign(request().header("X-Canary", "canary")).target()).isZero();
        }
        assertThat(open.assign(request().header("X-Canary", "always")).target()).isEqualTo(1);
    }

    @Test
    void errorsOutsideTheWindowDoNotCount() {
        SplitState state = state("""
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 50 }, { cluster: canary, weight: 50 } ]
                    rollback: { window: 5s, min-requests: 5, max-error-percent: 50 }
                """);
        long start = 2_000_000;
        for (int i = 0; i < 4; i++) {
            record(state, 1, 500, start);
        }
        for (int i = 0; i < 10; i++) {
            record(state, 1, 200, start + 10_000); // 10 s later: the errors have left the window
        }
        assertThat(state.rolledBack()).isFalse();
    }

    @Test
    void routesCanBeSplitToo() {
        SplitState state = state("""
                splits:
                  - name: s
                    route: checkout
                    to: [ { cluster: blue, weight: 0 }, { cluster: green, weight: 100 } ]
                """);
        TestExchange exchange = TestExchange.get("/");
        assertThat(state.applies(exchange)).isFalse();
        exchange.setRoute("checkout");
        assertThat(state.applies(exchange)).isTrue();
        assertThat(state.assign(exchange).target()).isEqualTo(1);
    }

    @Test
    void clientIpHashingUsesTheResolvedClientNotTheProxyInFront() throws Exception {
        SplitState state = state("""
                splits:
                  - name: s
                    from: users
                    to: [ { cluster: stable, weight: 50 }, { cluster: canary, weight: 50 } ]
                    sticky: { hash: client-ip }
                """);
        java.net.InetSocketAddress balancer = new java.net.InetSocketAddress(java.net.InetAddress.getByName("10.0.0.2"), 4000);
        java.util.Set<Integer> sides = new java.util.HashSet<>();
        for (int i = 1; i <= 50; i++) {
            java.net.InetAddress client = java.net.InetAddress.getByName("203.0.113." + i);
            TestExchange behindBalancer = request();
            behindBalancer.from(balancer).clientIp(client);
            int side = state.assign(behindBalancer).target();
            assertThat(side).isEqualTo(Math.floorMod(SplitState.hash(client.getHostAddress()), 100) < 50 ? 0 : 1);
            sides.add(side);
        }
        assertThat(sides).as("clients behind one balancer are still spread").containsExactlyInAnyOrder(0, 1);
    }
}
