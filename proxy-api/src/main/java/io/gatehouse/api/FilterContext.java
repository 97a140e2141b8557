package io.gatehouse.api;

import io.gatehouse.api.metrics.FilterMetrics;
import io.gatehouse.api.outbound.OutboundClient;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Services the server offers to one filter instance.
 *
 * @since 0.1
 */
public interface FilterContext {

    /** @return the instance name: {@code filters[].name}, or the type with its index, e.g. {@code headers#2} */
    String instanceName();

    /** @return the clock to read time from (replaceable in tests) */
    Clock clock();

    /**
     * The filters' timer: one thread of its own ({@code gatehouse-plugin-timer}), shared by all
     * filters and apart from the server's, so a slow plugin task delays no exchange. Tasks must be
     * short and must not block (hand blocking work to {@link #blockingExecutor()}). A task does
     * not run on an exchange's I/O thread: to continue an exchange, complete the stage its hook
     * returned, and the server continues on the exchange's own I/O thread.
     *
     * @return the scheduler; {@code shutdown} and {@code shutdownNow} throw {@link
     *     UnsupportedOperationException} (cancel your own tasks in {@link ProxyFilter#close()})
     */
    ScheduledExecutorService scheduler();

    /**
     * An executor for blocking work (file reads, blocking clients), so that I/O threads never
     * block. It is bounded (since 0.2: a few threads and a queue of about a thousand tasks, shared
     * by all filters); past that, {@code execute} throws {@link
     * java.util.concurrent.RejectedExecutionException}, which a hook should turn into an answer
     * (503, say) rather than let it fail the exchange.
     *
     * @return the executor
     */
    Executor blockingExecutor();

    /**
     * The server's outbound HTTP client, for calls to other services that must not block (forward
     * authentication, fetching keys, shadow traffic, health probes): one for the whole server, with
     * pooled connections, a few I/O threads of its own, per-call timeouts and a cap on response
     * bodies read into memory, closed when the server stops. See {@link OutboundClient}.
     *
     * <pre>{@code
     * context.http().send(OutboundRequest.get("http://keys.internal/jwks.json").timeout(Duration.ofSeconds(2)).build())
     *         .thenAccept(answer -> keys.set(parse(answer.bodyText())));
     * }</pre>
     *
     * @return the client, the same instance for every call
     * @throws UnsupportedOperationException from contexts that offer none (this default; the
     *     server's and {@link io.gatehouse.api.testkit.FilterHarness}'s contexts offer one)
     * @since 0.2
     */
    default OutboundClient http() {
        throw new UnsupportedOperationException("this FilterContext offers no outbound HTTP client");
    }

    /**
     * The names of one kind that the filters of this chain give ({@link References}): for a
     * filter that re-reads part of its configuration while running (a watched file) and must
     * refuse a change that refers to a name nothing defines, as start-up would.
     *
     * @param kind routes or clusters
     * @return the names, or empty when they are not known (a test harness)
     * @since 0.2
     */
    default Optional<Set<String>> definedNames(References.Kind kind) {
        return Optional.empty();
    }

    /**
     * Meters of this instance's own, served with the server's at the admin listener's {@code
     * /metrics}, named {@code gatehouse_filter_<name>} and tagged with the instance name ({@code
     * filter}) and type ({@code type}). The chain engine already counts and times every hook;
     * these are for what only the filter knows (cache hits, tokens refused, keys fetched).
     *
     * <pre>{@code
     * FilterMetrics.Counter refused = context.metrics().counter("tokens.refused", "reason", "expired");
     * }</pre>
     *
     * @return the instance's metrics; this default records nothing (the server's records, and
     *     {@link io.gatehouse.api.testkit.FilterHarness}'s keeps what was recorded for the test)
     * @since 0.2
     */
    default FilterMetrics metrics() {
        return FilterMetrics.none();
    }
}
