package io.gatehouse.plugins.ratelimit.redis;

import io.gatehouse.testkit.RedisServer;
import io.gatehouse.plugins.ratelimit.limit.Algorithm;
import io.gatehouse.plugins.ratelimit.limit.KeyValues;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Rate;
import io.gatehouse.plugins.ratelimit.limit.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The store through a Redis Cluster client and through Sentinel, with URIs as Lettuce takes them. */
class RedisTopologiesTest {

    private static final List<LimitSpec> TWO_LIMITS = List.of(
            new LimitSpec("per-client", Rate.parse("2/min"), 2, Algorithm.TOKEN_BUCKET),
            new LimitSpec("per-route", Rate.parse("100/min"), 100, Algorithm.SLIDING_WINDOW));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        timer.shutdownNow();
    }

    private RedisStore store(List<String> uris, boolean cluster) {
        RedisStore store = new RedisStore(TWO_LIMITS, new RedisSettings(uris, cluster, Duration.ofMillis(500), FailurePolicy.FAIL_CLOSED,
                "gatehouse:rl", Duration.ofSeconds(2), Optional.empty()), "topology", timer);
        closing.add(store);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.status().get(0).contains(", connected,"));
        return store;
    }

    private static List<Verdict.Kind> decide(RedisStore store, int times) throws Exception {
        List<Verdict.Kind> kinds = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            kinds.add(store.acquire(KeyValues.of("10.0.0.1", "orders")).toCompletableFuture().get(5, TimeUnit.SECONDS).kind());
        }
        return kinds;
    }

    @Test
    void aClusterDecidesSeveralLimitsInOneScriptThroughAHashTag() throws Exception {
        RedisServer node = RedisServer.startCluster();
        closing.add(node);
        RedisStore store = store(List.of(node.uri()), true);

        assertThat(decide(store, 3)).containsExactly(Verdict.Kind.ALLOWED, Verdict.Kind.ALLOWED, Verdict.Kind.REJECTED);
        assertThat(node.command("EXISTS", "{gatehouse:rl:topology}:per-client:10.0.0.1", "{gatehouse:rl:topology}:per-route:orders"))
                .isEqualTo(":2");
    }

    @Test
    void sentinelFindsTheMaster() throws Exception {
        RedisServer master = RedisServer.start();
        closing.add(master);
        RedisServer sentinel = RedisServer.startSentinel("main", master);
        closing.add(sentinel);
        RedisStore store = store(List.of("redis-sentinel://127.0.0.1:" + sentinel.port() + "?sentinelMasterId=main"), false);

        assertThat(decide(store, 3)).containsExactly(Verdict.Kind.ALLOWED, Verdict.Kind.ALLOWED, Verdict.Kind.REJECTED);
        assertThat(master.command("EXISTS", "gatehouse:rl:topology:per-client:10.0.0.1")).isEqualTo(":1");
    }
}
