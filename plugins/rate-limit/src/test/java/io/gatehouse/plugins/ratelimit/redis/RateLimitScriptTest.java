package io.gatehouse.plugins.ratelimit.redis;

import io.gatehouse.testkit.RedisServer;
import io.gatehouse.plugins.ratelimit.limit.Algorithm;
import io.gatehouse.plugins.ratelimit.limit.Decision;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.LocalLimiter;
import io.gatehouse.plugins.ratelimit.limit.Rate;
import io.gatehouse.plugins.ratelimit.limit.Snapshot;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Lua script against a real Redis, on times the test chooses: it decides as the Java
 * algorithms do, request by request.
 */
class RateLimitScriptTest {

    private static final long EPOCH_MICROS = 1_767_225_600_000_000L;   // 2026-01-01, a realistic Redis TIME

    private static RedisServer redis;
    private static ScheduledExecutorService timer;
    private static RedisStore store;
    private static RedisScriptingAsyncCommands<String, String> commands;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        timer = Executors.newSingleThreadScheduledExecutor();
        RedisSettings settings = new RedisSettings(List.of(redis.uri()), false, Duration.ofSeconds(1), FailurePolicy.FAIL_CLOSED,
                "test", Duration.ofSeconds(1), Optional.empty());
        store = new RedisStore(List.of(), settings, "script-test", timer);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.connector().commands().isPresent());
        commands = store.connector().commands().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static List<Object> run(String mode, String key, long nowMicros, long cost, LimitSpec spec) throws Exception {
        return store.run(commands, new String[] {key}, RateLimitScript.arguments(mode, nowMicros, cost, List.of(spec)))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theScriptDecidesAsTheJavaAlgorithm(Algorithm algorithm) throws Exception {
        LimitSpec spec = new LimitSpec("p", Rate.parse("50/s"), algorithm == Algorithm.SLIDING_WINDOW ? 50 : 20, algorithm);
        AtomicLong nanos = new AtomicLong(EPOCH_MICROS * 1000);
        LocalLimiter<?> local = LocalLimiter.of(spec, 100, nanos::get);
        SplittableRandom random = new SplittableRandom(11);
        long micros = EPOCH_MICROS;
        int admitted = 0;
        for (int i = 0; i < 3000; i++) {
            if (random.nextInt(3) != 0) {
                micros += random.nextLong(0, 8_000);
            }
            nanos.set(micros * 1000);
            String key = random.nextBoolean() ? "a" : "b";
            Decision java = local.acquire(key, micros * 1000);
            Decision lua = RateLimitScript.decisions(run(RateLimitScript.ACQUIRE, algorithm + ":" + key, micros, 1, spec), 1)[0];
            assertThat(lua.allowed()).as("request %d (%s at %d us)", i, key, micros).isEqualTo(java.allowed());
            assertThat(lua.remaining()).as("remaining after request %d", i).isEqualTo(java.remaining());
            if (!java.allowed()) {
                assertThat(lua.retryAfterNanos()).as("retry after, request %d", i).isCloseTo(java.retryAfterNanos(),
                        org.assertj.core.data.Offset.offset(1_000L));
            }
            admitted += java.allowed() ? 1 : 0;
        }
        assertThat(admitted).as("both admit and refuse").isBetween(500, 2900);
    }

    @Test
    void chargeGoesIntoDebtAndReportsTheState() throws Exception {
        LimitSpec bucket = new LimitSpec("c", Rate.parse("10/s"), 10, Algorithm.TOKEN_BUCKET);
        List<Snapshot> after = RateLimitScript.snapshots(run(RateLimitScript.CHARGE, "charge:tb", EPOCH_MICROS, 13, bucket));
        assertThat(after).containsExactly(new Snapshot(-3, 0, 0));
        Decision refused = RateLimitScript.decisions(run(RateLimitScript.ACQUIRE, "charge:tb", EPOCH_MICROS + 350_000, 1, bucket), 1)[0];
        assertThat(refused.allowed()).as("the debt is repaid first").isFalse();

        LimitSpec window = new LimitSpec("w", Rate.parse("10/s"), 10, Algorithm.SLIDING_WINDOW);
        assertThat(RateLimitScript.snapshots(run(RateLimitScript.CHARGE, "charge:sw", EPOCH_MICROS + 250_000, 4, window)))
                .containsExactly(new Snapshot(4, 0, 250_000_000L));

        LimitSpec gcra = new LimitSpec("g", Rate.parse("10/s"), 10, Algorithm.GCRA);
        assertThat(RateLimitScript.snapshots(run(RateLimitScript.CHARGE, "charge:gcra", EPOCH_MICROS, 4, gcra)))
                .containsExactly(new Snapshot(6, 0, 0));
    }

    @Test
    void keysExpireOnceIdleLongEnoughToBeAsGoodAsNew() throws Exception {
        LimitSpec bucket = new LimitSpec("e", Rate.parse("100/s"), 100, Algorithm.TOKEN_BUCKET);
        run(RateLimitScript.ACQUIRE, "expiry:tb", 0, 1, bucket);
        long ttl = Long.parseLong(redis.command("PTTL", "expiry:tb").substring(1));
        assertThat(ttl).isBetween(1_000L, 2_000L);   // a full refill takes 1 s, plus a second of slack
    }
}
