package io.gatehouse.api;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a filter hook decided: go on, or answer the exchange with a response.
 *
 * @since 0.1
 */
public final class FilterResult {

    private static final FilterResult PROCEED = new FilterResult(null);
    private static final CompletionStage<FilterResult> PROCEED_STAGE =
            CompletableFuture.completedStage(PROCEED);

    private final Response response;

    private FilterResult(Response response) {
        this.response = response;
    }

    /**
     * Continue with the next filter, or with the origin after the last one.
     *
     * @return a shared, already completed stage
     */
    public static CompletionStage<FilterResult> proceed() {
        return PROCEED_STAGE;
    }

    /**
     * The value inside {@link #proceed()}, for filters that complete their own stages.
     *
     * @return the shared proceed result
     */
    public static FilterResult proceedResult() {
        return PROCEED;
    }

    /**
     * Answer the exchange with {@code response} (short-circuit).
     *
     * @param response the response to send to the client
     * @return a completed stage holding the decision
     */
    public static CompletionStage<FilterResult> respond(Response response) {
        return CompletableFuture.completedStage(respondResult(response));
    }

    /**
     * The value inside {@link #respond(Response)}.
     *
     * @param response the response to send to the client
     * @return the decision
     */
    public static FilterResult respondResult(Response response) {
        return new FilterResult(Objects.requireNonNull(response, "response"));
    }

    /**
     * The response of a short-circuit.
     *
     * @return the response, or empty when the filter proceeds
     */
    public Optional<Response> response() {
        return Optional.ofNullable(response);
    }

    /**
     * Whether the chain goes on.
     *
     * @return true for {@link #proceed()}
     */
    public boolean proceeds() {
        return response == null;
    }

    @Override
    public String toString() {
        return response == null ? "proceed" : "respond(" + response.status() + ")";
    }
}
