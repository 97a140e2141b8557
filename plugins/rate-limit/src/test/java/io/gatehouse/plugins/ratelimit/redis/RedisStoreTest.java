package io.gatehouse.plugins.ratelimit.redis;

import io.gatehouse.testkit.RedisServer;
import io.gatehouse.plugins.ratelimit.limit.Algorithm;
import io.gatehouse.plugins.ratelimit.limit.KeyValues;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Rate;
import io.gatehouse.plugins.ratelimit.limit.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis store against a real Redis that stops, sleeps and restarts: the failure policy
 * answers within the timeout, and the store recovers by itself.
 */
class RedisStoreTest {

    private static final List<LimitSpec> LIMITS = List.of(new LimitSpec("per-ip", Rate.parse("5/s"), 5, Algorithm.TOKEN_BUCKET));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private RedisServer redis;
    private RedisStore store;

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        timer.shutdownNow();
        if (redis != null) {
            redis.close();
        }
    }

    private RedisStore store(String uri, FailurePolicy policy, Duration timeout) {
        store = new RedisStore(LIMITS, new RedisSettings(List.of(uri), false, timeout, policy, "gatehouse:rl", Duration.ofMillis(500),
                Optional.empty()), "store-test", timer);
        return store;
    }

    private static Verdict decide(RedisStore store, String key) throws Exception {
        return store.acquire(KeyValues.of(key)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** @return the verdict and how long it took, in milliseconds */
    private static long millisToDecide(RedisStore store, String key, Verdict.Kind expected) throws Exception {
        long started = System.nanoTime();
        Verdict verdict = decide(store, key);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(verdict.kind()).isEqualTo(expected);
        return millis;
    }

    private void connected() {
        await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(store.status().get(0).split(", ")[1]));
    }

    @Test
    void countsInRedis() throws Exception {
        redis = RedisServer.start();
        RedisStore store = store(redis.uri(), FailurePolicy.FAIL_CLOSED, Duration.ofMillis(200));
        connected();
        for (int i = 4; i >= 0; i--) {
            Verdict verdict = decide(store, "10.0.0.1");
            assertThat(verdict.kind()).isEqualTo(Verdict.Kind.ALLOWED);
            assertThat(verdict.decisions().get(0).decision().remaining()).isEqualTo(i);
        }
        assertThat(decide(store, "10.0.0.1").kind()).isEqualTo(Verdict.Kind.REJECTED);
        assertThat(redis.command("EXISTS", "gatehouse:rl:store-test:per-ip:10.0.0.1")).isEqualTo(":1");
    }

    @Test
    void redisStoppedMidTestFailsOpenAtOnce() throws Exception {
        redis = RedisServer.start();
        RedisStore store = store(redis.uri(), FailurePolicy.FAIL_OPEN, Duration.ofMillis(50));
        connected();
        millisToDecide(store, "k", Verdict.Kind.ALLOWED);

        redis.stop();
        for (int i = 0; i < 20; i++) {   // well over the limit of 5: the policy admits them all
            assertThat(millisToDecide(store, "k", Verdict.Kind.FAILED_OPEN)).isLessThan(50 + 100);
        }
        // Counted just after the stage completes, possibly on another thread.
        await().atMost(Duration.ofSeconds(5)).until(() -> store.failures() == 20);
        assertThat(store.status().get(1)).contains("answered by the failure policy 20");

        redis.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> decide(store, "k").kind() == Verdict.Kind.ALLOWED);
    }

    @Test
    void aSlowRedisFailsClosedWithinTheTimeout() throws Exception {
        redis = RedisServer.start();
        RedisStore store = store(redis.uri(), FailurePolicy.FAIL_CLOSED, Duration.ofMillis(20));
        connected();
        millisToDecide(store, "k", Verdict.Kind.ALLOWED);

        Thread pause = redis.pause(Duration.ofSeconds(2));
        awaitAsleep(redis.port());
        for (int i = 0; i < 5; i++) {
            long millis = millisToDecide(store, "k", Verdict.Kind.FAILED_CLOSED);
            System.out.printf("fail-closed at the store, Redis stalled, 20 ms timeout: decided in %d ms%n", millis);
            assertThat(millis).as("decided by the 20 ms timeout").isBetween(15L, 20L + 100);
        }
        pause.join(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> decide(store, "k").kind() == Verdict.Kind.ALLOWED);
    }

    @Test
    void beforeTheFirstConnectionThePolicyAnswersAtOnce() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        RedisStore store = store("redis://127.0.0.1:" + closedPort, FailurePolicy.FAIL_CLOSED, Duration.ofMillis(50));
        assertThat(millisToDecide(store, "k", Verdict.Kind.FAILED_CLOSED)).isLessThan(50);
        assertThat(store.status().get(0)).contains("connecting");
    }

    @Test
    void aFlushedScriptCacheIsRefilledFromTheSource() throws Exception {
        redis = RedisServer.start();
        RedisStore store = store(redis.uri(), FailurePolicy.FAIL_CLOSED, Duration.ofMillis(500));
        connected();
        millisToDecide(store, "k", Verdict.Kind.ALLOWED);
        assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
        millisToDecide(store, "k", Verdict.Kind.ALLOWED);
        assertThat(redis.command("SCRIPT", "EXISTS", store.script().sha())).isEqualTo("*1");
    }

    /** Waits (bounded) until Redis no longer answers a PING within 100 ms: DEBUG SLEEP has begun. */
    private static void awaitAsleep(int port) {
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setSoTimeout(100);
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().read();
                return false;
            } catch (SocketTimeoutException asleep) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
