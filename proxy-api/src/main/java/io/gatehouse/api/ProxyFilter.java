package io.gatehouse.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One configured stage of the filter chain. A filter is created once per {@code filters[]}
 * entry and shared by all exchanges, so implementations must be thread-safe.
 *
 * <p>Threading (one rule, since 0.2): every hook of an exchange runs on that exchange's own I/O
 * thread, the thread of the client connection it arrived on. Hooks must never block; a filter
 * that has to wait returns an incomplete stage and completes it later, on any thread (an HTTP
 * client's, a timer's, {@link FilterContext#blockingExecutor()}'s). Completing the stage only
 * signals: the server hands the rest of the exchange (the next hooks, the connection to the
 * origin, the answer) back to the exchange's I/O thread. The same holds for the filter deadline
 * ({@code server.timeouts.filter}): the 504 is sent from the I/O thread, and a stage that
 * completes after its deadline is ignored. The chain engine never calls two hooks of the same
 * exchange at the same time, and never calls a hook while it holds the exchange's lock; only
 * {@link BodyObserver} and {@link UpstreamSelector} callbacks run under it.
 *
 * <p>Order: {@link #onRequest} runs in the order of {@code filters:}, {@link #onResponse} in
 * reverse order, and {@link #onComplete} for every filter whose {@code onRequest} was called,
 * whatever happened afterwards. A hook that throws or completes exceptionally answers the
 * exchange with 500; one that does not complete within the filter deadline answers 504.
 *
 * @since 0.1
 */
public interface ProxyFilter extends AutoCloseable {

    /**
     * Called when the client→proxy request head has arrived (its body may still be
     * streaming). The filter may change the request head, set attributes, choose the route,
     * cluster or upstream, register body observers, or answer the request itself.
     *
     * @param exchange the exchange
     * @return {@link FilterResult#proceed()} to continue, or {@link FilterResult#respond} to
     *     short-circuit: later filters and the origin are then skipped
     */
    CompletionStage<FilterResult> onRequest(Exchange exchange);

    /**
     * Called when the response head is known and before it is sent to the client: the
     * origin→proxy response, or a short-circuit response of a later filter. The filter may
     * change {@link Exchange#response()} or replace the response with {@link
     * FilterResult#respond}.
     *
     * @param exchange the exchange, with {@link Exchange#response()} present
     * @return {@link FilterResult#proceed()} to keep the response
     */
    default CompletionStage<FilterResult> onResponse(Exchange exchange) {
        return FilterResult.proceed();
    }

    /**
     * Called once when the exchange has ended, successfully or not (client abort, origin
     * failure, error in another filter). Must be quick and must not throw.
     *
     * @param exchange the exchange
     * @param outcome how it ended
     */
    default void onComplete(Exchange exchange, Outcome outcome) {
    }

    /**
     * Whether this filter reads {@link Outcome#timings()} (a span exporter does). The server
     * times the hooks and upstream attempts of a sampled exchange only when a filter of the chain
     * says so, so that a chain without such a filter pays nothing for them. Asked once, when the
     * chain is built.
     *
     * @return whether {@code onComplete} needs the timings; the default does not
     * @since 0.2
     */
    default boolean readsTimings() {
        return false;
    }

    /**
     * A dry run for diagnostics ({@code gatehouse explain}, the admin {@code /explain}
     * endpoint): decides what {@link #onRequest} would decide for this request and applies the
     * decision to {@code exchange} (route, cluster, target, ...), so that later filters'
     * {@code when:} conditions see it, but contacts nothing, answers nobody and keeps no state.
     * Returns the reasons, one line each. A filter that would answer the request itself sets
     * {@link Keys#EXPLAINED_ANSWER} to the status it would answer with, and the explanation stops
     * there. The default has nothing to say.
     *
     * @param exchange a synthetic exchange for the request being explained
     * @return lines of explanation, empty when there is nothing to add to "runs"
     */
    default List<String> explain(Exchange exchange) {
        return List.of();
    }

    /**
     * The filter's live state for operators, shown by the admin {@code /status} endpoint under
     * the filter's name (a load balancer's endpoints and their health, say). Called on an admin
     * thread, at any time: must be thread-safe and quick.
     *
     * @return plain text, one item per line, or empty when there is nothing to show
     */
    default Optional<String> status() {
        return Optional.empty();
    }

    /**
     * Releases resources when the chain holding this filter is retired: at shutdown, or after a
     * reload once every exchange that started on the old chain has ended (an instance its factory
     * carried over into the new chain is not closed then). Called once, never on an I/O thread.
     */
    @Override
    default void close() {
    }
}
