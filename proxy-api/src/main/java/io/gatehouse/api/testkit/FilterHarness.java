package io.gatehouse.api.testkit;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a filter in memory, the way the chain engine would, for unit tests:
 *
 * <pre>{@code
 * try (FilterHarness harness = FilterHarness.of(new HeadersFilterFactory(), Map.of("request", Map.of("set", Map.of("X-A", "1"))))) {
 *     TestExchange exchange = TestExchange.get("/");
 *     assertTrue(harness.request(exchange).proceeds());
 *     assertEquals("1", exchange.request().headers().first("X-A").orElseThrow());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class FilterHarness implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ProxyFilter filter;
    private final ScheduledExecutorService scheduler;

    private FilterHarness(ProxyFilter filter, ScheduledExecutorService scheduler) {
        this.filter = filter;
        this.scheduler = scheduler;
    }

    /**
     * Parses {@code config} with the factory and creates the filter.
     *
     * @param factory the factory under test
     * @param config the {@code config} subtree as plain Java values
     * @param <C> config type
     * @return the harness
     */
    public static <C> FilterHarness of(ProxyFilterFactory<C> factory, Map<String, ?> config) {
        C parsed = factory.parseConfig(PluginConfig.of("filters[0].config", config));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "filter-harness");
            thread.setDaemon(true);
            return thread;
        });
        ProxyFilter filter = factory.create(parsed, context(factory.type(), scheduler));
        return new FilterHarness(filter, scheduler);
    }

    private static FilterContext context(String type, ScheduledExecutorService scheduler) {
        return new FilterContext() {
            @Override
            public String instanceName() {
                return type + "#0";
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return scheduler;
            }

            @Override
            public Executor blockingExecutor() {
                return scheduler;
            }
        };
    }

    /** @return the filter under test */
    public ProxyFilter filter() {
        return filter;
    }

    /**
     * Runs {@code onRequest} and waits (bounded) for its result.
     *
     * @param exchange the exchange
     * @return the result
     */
    public FilterResult request(TestExchange exchange) {
        return await(filter.onRequest(exchange).toCompletableFuture());
    }

    /**
     * Runs {@code onResponse}; the exchange needs a response ({@link TestExchange#respondWith}).
     *
     * @param exchange the exchange
     * @return the result
     */
    public FilterResult response(TestExchange exchange) {
        if (exchange.response().isEmpty()) {
            throw new IllegalStateException("call respondWith(...) on the exchange first");
        }
        return await(filter.onResponse(exchange).toCompletableFuture());
    }

    /**
     * Runs {@code onComplete} with a completed outcome of the response status (200 if none), the
     * exchange's route and cluster, and the time since the exchange was made.
     *
     * @param exchange the exchange
     */
    public void complete(TestExchange exchange) {
        int status = exchange.response().map(r -> r.status()).orElse(200);
        TestOutcome outcome = TestOutcome.completed(status).durationNanos(Math.max(0, System.nanoTime() - exchange.startNanos()));
        outcome = exchange.route().map(outcome::route).orElse(outcome);
        outcome = exchange.cluster().map(outcome::cluster).orElse(outcome);
        complete(exchange, outcome.build());
    }

    /**
     * Runs {@code onComplete} with the given outcome, e.g. one built with {@link TestOutcome}.
     *
     * @param exchange the exchange
     * @param outcome how the exchange ended
     * @since 0.2
     */
    public void complete(TestExchange exchange, Outcome outcome) {
        filter.onComplete(Objects.requireNonNull(exchange, "exchange"), Objects.requireNonNull(outcome, "outcome"));
    }

    private static FilterResult await(java.util.concurrent.CompletableFuture<FilterResult> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("filter hook failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("filter hook did not complete within " + WAIT);
        }
    }

    /** Closes the filter and stops the harness's scheduler. */
    @Override
    public void close() {
        filter.close();
        scheduler.shutdownNow();
    }
}
