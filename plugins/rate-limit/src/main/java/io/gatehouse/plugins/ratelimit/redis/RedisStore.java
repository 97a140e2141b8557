package io.gatehouse.plugins.ratelimit.redis;

import io.gatehouse.plugins.ratelimit.limit.CounterStore;
import io.gatehouse.plugins.ratelimit.limit.Decision;
import io.gatehouse.plugins.ratelimit.limit.KeyValues;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Verdict;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters in Redis, shared by every Gatehouse instance that uses the same keys: one
 * {@code EVALSHA} of {@link RateLimitScript} per decision decides all the request's limits
 * atomically, on Redis's clock. The caller's stage completes when Redis answers or when the
 * timeout passes, whichever is first; then (and on any error) the failure policy answers. No
 * thread ever waits for Redis.
 */
public final class RedisStore implements CounterStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

    private final List<LimitSpec> limits;
    private final RedisKeys redisKeys;
    private final RedisSettings settings;
    private final RedisConnector connector;
    private final ScheduledExecutorService timer;
    private final RateLimitScript script = RateLimitScript.load();
    private final long timeoutNanos;
    private final Verdict onFailure;
    private final FailureLog failures;
    private final LongAdder allowed = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    /**
     * @param limits the filter's limits, in config order
     * @param settings the {@code redis:} section
     * @param name the filter instance's name: part of every key, so name filters alike on every instance
     * @param timer the timer of the timeouts (the filters' scheduler)
     */
    public RedisStore(List<LimitSpec> limits, RedisSettings settings, String name, ScheduledExecutorService timer) {
        this.limits = List.copyOf(limits);
        this.settings = settings;
        this.redisKeys = new RedisKeys(settings.keyPrefix(), name, limits, settings.cluster());
        this.connector = new RedisConnector(settings, script, timer, name);
        this.timer = timer;
        this.timeoutNanos = settings.timeout().toNanos();
        this.onFailure = settings.failure() == FailurePolicy.FAIL_OPEN ? Verdict.failedOpen() : Verdict.failedClosed();
        String consequence = settings.failure() == FailurePolicy.FAIL_OPEN ? "requests admitted unlimited" : "requests refused with 503";
        this.failures = new FailureLog(LOG, name + ": no answer from Redis " + RedisConnector.describe(settings) + " within "
                + settings.timeout().toMillis() + "ms (" + settings.failure().configName() + ": " + consequence + ")");
        connector.start();
    }

    @Override
    public CompletionStage<Verdict> acquire(KeyValues keys) {
        if (keys.applicable() == 0) {
            return CompletableFuture.completedFuture(Verdict.unlimited());
        }
        Optional<RedisScriptingAsyncCommands<String, String>> commands = connector.commands();
        if (commands.isEmpty()) {
            failures.failed("not connected yet");
            return CompletableFuture.completedFuture(onFailure);
        }
        int[] indexes = new int[keys.applicable()];
        String[] names = new String[indexes.length];
        List<LimitSpec> applied = new ArrayList<>(indexes.length);
        for (int i = 0, k = 0; i < keys.size(); i++) {
            if (keys.applies(i)) {
                indexes[k] = i;
                names[k++] = redisKeys.key(i, keys.key(i));
                applied.add(limits.get(i));
            }
        }
        String[] args = RateLimitScript.arguments(RateLimitScript.ACQUIRE, 0, 1, applied);
        CompletableFuture<Verdict> result = new CompletableFuture<>();
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> fail(result, "timed out"), timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(result, "the timer has stopped");
            return result;
        }
        run(commands.get(), names, args).whenComplete((reply, error) -> {
            deadline.cancel(false);
            if (error != null) {
                fail(result, describe(error));
                return;
            }
            try {
                Decision[] decisions = RateLimitScript.decisions(reply, indexes.length);
                Decision[] byLimit = new Decision[keys.size()];
                for (int k = 0; k < indexes.length; k++) {
                    byLimit[indexes[k]] = decisions[k];
                }
                Verdict verdict = Verdict.combine(keys, byLimit);
                if (result.complete(verdict)) {
                    (verdict.admits() ? allowed : rejected).increment();
                }
            } catch (RuntimeException e) {
                fail(result, e.getMessage());
            }
        });
        return result;
    }

    private void fail(CompletableFuture<Verdict> result, String reason) {
        if (result.complete(onFailure)) {
            failures.failed(reason);
        }
    }

    /** Runs the script by its SHA-1, and by its source when Redis does not know it (after a restart or a flush). */
    CompletionStage<List<Object>> run(RedisScriptingAsyncCommands<String, String> commands, String[] keys, String[] args) {
        return commands.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args)
                .handle((reply, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    if (unwrap(error) instanceof RedisNoScriptException) {
                        return commands.<List<Object>>eval(script.source(), ScriptOutputType.MULTI, keys, args).toCompletableFuture();
                    }
                    return CompletableFuture.<List<Object>>failedFuture(unwrap(error));
                })
                .thenCompose(stage -> stage);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** @return the connector, for the batching store that shares it */
    RedisConnector connector() {
        return connector;
    }

    /** @return the script */
    RateLimitScript script() {
        return script;
    }

    /** @return how keys are named */
    RedisKeys keys() {
        return redisKeys;
    }

    @Override
    public List<String> status() {
        return List.of("store: redis " + RedisConnector.describe(settings) + ", " + connector.state()
                        + ", timeout " + settings.timeout().toMillis() + "ms, " + settings.failure().configName(),
                "decisions: allowed " + allowed.sum() + ", rejected " + rejected.sum() + ", answered by the failure policy "
                        + failures.total() + ", failed connection attempts " + connector.failedAttempts());
    }

    /** @return the decisions the failure policy answered */
    public long failures() {
        return failures.total();
    }

    @Override
    public void close() {
        connector.close();
    }
}
