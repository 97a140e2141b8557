package io.gatehouse.api.testkit;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.outbound.OutboundClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
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
 * <p>With a {@link ManualScheduler}, the filter's clock and scheduler are the test's: timers
 * fire when the test advances time, not before.
 *
 * <pre>{@code
 * ManualScheduler time = ManualScheduler.create();
 * try (FilterHarness harness = FilterHarness.builder(new MyFactory()).config(Map.of("window", "10s")).scheduler(time).build()) {
 *     CompletableFuture<FilterResult> pending = harness.requestAsync(exchange);
 *     time.advance(Duration.ofSeconds(10));
 *     assertTrue(pending.isDone());
 *     harness.requestBody(exchange).data("partial").abort(new IOException("client went away"));
 * }
 * }</pre>
 *
 * <p>The filter's {@link FilterContext#http()} is a {@link TestOutboundClient} that answers
 * nothing, unless {@link Builder#http} gives it a scripted one (or any {@link OutboundClient}):
 *
 * <pre>{@code
 * TestOutboundClient http = TestOutboundClient.create().answer("http://auth.internal/check", OutboundResponse.of(200, "ok"));
 * try (FilterHarness harness = FilterHarness.builder(new ForwardAuthFactory()).http(http).build()) {
 *     assertTrue(harness.request(TestExchange.get("/orders")).proceeds());
 *     assertEquals(1, http.requests().size());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class FilterHarness implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ProxyFilter filter;
    private final FilterContext context;
    private final Optional<ManualScheduler> manual;
    private final Optional<ScheduledExecutorService> owned;
    private final RecordingMetrics metrics;

    private FilterHarness(ProxyFilter filter, HarnessContext context, Optional<ManualScheduler> manual,
                          Optional<ScheduledExecutorService> owned) {
        this.metrics = context.metrics();
        this.filter = filter;
        this.context = context;
        this.manual = manual;
        this.owned = owned;
    }

    /**
     * Parses {@code config} with the factory and creates the filter, with the system clock and a
     * real scheduler thread.
     *
     * @param factory the factory under test
     * @param config the {@code config} subtree as plain Java values
     * @param <C> config type
     * @return the harness
     */
    public static <C> FilterHarness of(ProxyFilterFactory<C> factory, Map<String, ?> config) {
        return builder(factory).config(config).build();
    }

    /**
     * @param factory the factory under test
     * @param <C> config type
     * @return a builder: empty config, system clock, a real scheduler thread
     * @since 0.2
     */
    public static <C> Builder<C> builder(ProxyFilterFactory<C> factory) {
        return new Builder<>(factory);
    }

    /** @return the filter under test */
    public ProxyFilter filter() {
        return filter;
    }

    /**
     * @return the context the filter was created with: its instance name, clock, scheduler, blocking executor and outbound client
     * @since 0.2
     */
    public FilterContext context() {
        return context;
    }

    /**
     * @return what the filter recorded through {@link FilterContext#metrics()}, to read back
     * @since 0.2
     */
    public RecordingMetrics metrics() {
        return metrics;
    }

    /**
     * Runs {@code onRequest} and waits (bounded) for its result. With a {@link ManualScheduler},
     * the tasks due now run first, without moving time; a result that waits for a timer needs
     * {@link #requestAsync} and {@link ManualScheduler#advance}.
     *
     * @param exchange the exchange
     * @return the result
     */
    public FilterResult request(TestExchange exchange) {
        return await(requestAsync(exchange), "onRequest", "requestAsync");
    }

    /**
     * Runs {@code onRequest} and returns its stage without waiting for it.
     *
     * @param exchange the exchange
     * @return the stage, as a future
     * @since 0.2
     */
    public CompletableFuture<FilterResult> requestAsync(TestExchange exchange) {
        return filter.onRequest(Objects.requireNonNull(exchange, "exchange")).toCompletableFuture();
    }

    /**
     * Runs {@code onResponse} and waits (bounded) for its result; the exchange needs a response
     * ({@link TestExchange#respondWith}). With a {@link ManualScheduler}, as for {@link #request}.
     *
     * @param exchange the exchange
     * @return the result
     */
    public FilterResult response(TestExchange exchange) {
        return await(responseAsync(exchange), "onResponse", "responseAsync");
    }

    /**
     * Runs {@code onResponse} and returns its stage without waiting for it; the exchange needs a
     * response ({@link TestExchange#respondWith}).
     *
     * @param exchange the exchange
     * @return the stage, as a future
     * @since 0.2
     */
    public CompletableFuture<FilterResult> responseAsync(TestExchange exchange) {
        if (exchange.response().isEmpty()) {
            throw new IllegalStateException("call respondWith(...) on the exchange first");
        }
        return filter.onResponse(exchange).toCompletableFuture();
    }

    /**
     * The request body as the observers this filter registered will see it (see {@link BodyFeed}).
     *
     * @param exchange the exchange
     * @return its request body's feed
     * @since 0.2
     */
    public BodyFeed requestBody(TestExchange exchange) {
        return exchange.requestBody();
    }

    /**
     * The response body as the observers this filter registered will see it (see {@link BodyFeed}).
     *
     * @param exchange the exchange
     * @return its response body's feed
     * @since 0.2
     */
    public BodyFeed responseBody(TestExchange exchange) {
        return exchange.responseBody();
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

    private FilterResult await(CompletableFuture<FilterResult> future, String hook, String async) {
        manual.ifPresent(ManualScheduler::runDueTasks);
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("filter hook failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            String waiting = manual.flatMap(ManualScheduler::nextTaskIn)
                    .map(next -> "; a task waits on the manual scheduler, due in " + next + ": use " + async + "(...) and advance the time")
                    .orElse("");
            throw new IllegalStateException(hook + " did not complete within " + WAIT + waiting);
        }
    }

    /** Closes the filter and stops the harness's own scheduler thread (a manual scheduler is the test's). */
    @Override
    public void close() {
        try {
            filter.close();
        } finally {
            owned.ifPresent(ScheduledExecutorService::shutdownNow);
        }
    }

    /**
     * What to run the filter with.
     *
     * @param <C> the factory's config type
     * @since 0.2
     */
    public static final class Builder<C> {
        private final ProxyFilterFactory<C> factory;
        private Map<String, ?> config = Map.of();
        private Optional<Clock> clock = Optional.empty();
        private Optional<ManualScheduler> scheduler = Optional.empty();
        private Optional<OutboundClient> http = Optional.empty();
        private String instanceName;

        private Builder(ProxyFilterFactory<C> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            this.instanceName = factory.type() + "#0";
        }

        /**
         * @param configTree the {@code config} subtree as plain Java values (parsed at {@code filters[0].config})
         * @return this
         */
        public Builder<C> config(Map<String, ?> configTree) {
            this.config = Objects.requireNonNull(configTree, "configTree");
            return this;
        }

        /**
         * @param filterClock the clock the filter reads ({@link FilterContext#clock()}), e.g. a fixed one
         * @return this
         */
        public Builder<C> clock(Clock filterClock) {
            this.clock = Optional.of(Objects.requireNonNull(filterClock, "filterClock"));
            return this;
        }

        /**
         * Gives the filter a scheduler whose time the test moves: {@link FilterContext#scheduler()}
         * and {@link FilterContext#blockingExecutor()} run their tasks only when the test advances
         * it, and unless {@link #clock} set another, {@link FilterContext#clock()} shows its time.
         *
         * @param manual the test's scheduler
         * @return this
         */
        public Builder<C> scheduler(ManualScheduler manual) {
            this.scheduler = Optional.of(Objects.requireNonNull(manual, "manual"));
            return this;
        }

        /**
         * Gives the filter this outbound client as {@link FilterContext#http()}, typically a
         * {@link TestOutboundClient} with the answers the test needs. By default the filter gets
         * a {@link TestOutboundClient} that answers nothing (every call fails with {@link
         * io.gatehouse.api.outbound.OutboundConnectException}).
         *
         * @param client the client the filter calls
         * @return this
         * @since 0.2
         */
        public Builder<C> http(OutboundClient client) {
            this.http = Optional.of(Objects.requireNonNull(client, "client"));
            return this;
        }

        /**
         * @param name the filter's instance name ({@link FilterContext#instanceName()}); by default its type and {@code #0}
         * @return this
         */
        public Builder<C> instanceName(String name) {
            this.instanceName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Parses the config with the factory and creates the filter.
         *
         * @return the harness
         * @throws io.gatehouse.api.ConfigException when the factory refuses the config
         */
        public FilterHarness build() {
            C parsed = factory.parseConfig(PluginConfig.of("filters[0].config", config));
            Optional<ScheduledExecutorService> owned = scheduler.isPresent() ? Optional.empty()
                    : Optional.of(Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread thread = new Thread(r, "filter-harness");
                        thread.setDaemon(true);
                        return thread;
                    }));
            ScheduledExecutorService timers = scheduler.<ScheduledExecutorService>map(s -> s).orElseGet(owned::orElseThrow);
            Clock filterClock = clock.or(() -> scheduler.map(ManualScheduler::clock)).orElseGet(Clock::systemUTC);
            HarnessContext context = new HarnessContext(instanceName, filterClock, timers,
                    http.orElseGet(TestOutboundClient::create), RecordingMetrics.create());
            try {
                return new FilterHarness(factory.create(parsed, context), context, scheduler, owned);
            } catch (RuntimeException e) {
                owned.ifPresent(ScheduledExecutorService::shutdownNow);
                throw e;
            }
        }
    }

    /** The services a harnessed filter gets. */
    private record HarnessContext(String instanceName, Clock clock, ScheduledExecutorService scheduler,
                                  OutboundClient http, RecordingMetrics metrics) implements FilterContext {
        @Override
        public Executor blockingExecutor() {
            return scheduler;
        }
    }
}
