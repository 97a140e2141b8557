package io.gatehouse.api.testkit;

import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.ResponseTooLargeException;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted {@link OutboundClient} for unit tests: it records every request and answers from
 * the test's script, without a socket. It is what {@link FilterHarness} gives a filter as
 * {@link io.gatehouse.api.FilterContext#http()} unless the test gives another.
 *
 * <pre>{@code
 * TestOutboundClient http = TestOutboundClient.create()
 *         .answer("http://auth.internal/check", OutboundResponse.of(200, "ok"))
 *         .answer(request -> CompletableFuture.failedFuture(new OutboundTimeoutException(request + " timed out")));
 * try (FilterHarness harness = FilterHarness.builder(new ForwardAuthFactory()).http(http).build()) {
 *     assertTrue(harness.request(TestExchange.get("/orders")).proceeds());
 *     assertEquals("GET", http.requests().get(0).method());
 * }
 * }</pre>
 *
 * <p>As the server's client does, it fails a call whose scripted response body is longer than the
 * request's {@link OutboundRequest#maxResponseBody()} with {@link ResponseTooLargeException}. A
 * request nothing answers fails with {@link OutboundConnectException}. A script that returns a
 * stage it completes later (a {@link CompletableFuture} kept by the test) leaves the call pending
 * until then. Thread-safe.
 *
 * @since 0.2
 */
public final class TestOutboundClient implements OutboundClient {

    private final Map<String, Function<OutboundRequest, CompletionStage<OutboundResponse>>> byUrl = new ConcurrentHashMap<>();
    private final List<OutboundRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Function<OutboundRequest, CompletionStage<OutboundResponse>> fallback = request ->
            CompletableFuture.failedFuture(new OutboundConnectException("no answer scripted for " + request));

    private TestOutboundClient() {
    }

    /** @return a client that answers nothing yet: every call fails with {@link OutboundConnectException} */
    public static TestOutboundClient create() {
        return new TestOutboundClient();
    }

    /**
     * Answers every request to exactly this URL with {@code response}.
     *
     * @param url the absolute URL, as {@link OutboundRequest#uri()} spells it (query included)
     * @param response the answer
     * @return this client
     */
    public TestOutboundClient answer(String url, OutboundResponse response) {
        Objects.requireNonNull(response, "response");
        return answer(url, request -> CompletableFuture.completedFuture(response));
    }

    /**
     * Answers every request to exactly this URL with what {@code script} returns: a completed
     * stage, a failed one (an {@link io.gatehouse.api.outbound.OutboundException}), or one the test
     * completes later.
     *
     * @param url the absolute URL, as {@link OutboundRequest#uri()} spells it (query included)
     * @param script computes the stage for each request
     * @return this client
     */
    public TestOutboundClient answer(String url, Function<OutboundRequest, CompletionStage<OutboundResponse>> script) {
        byUrl.put(Objects.requireNonNull(url, "url"), Objects.requireNonNull(script, "script"));
        return this;
    }

    /**
     * Answers every request that no URL script matches with what {@code script} returns.
     *
     * @param script computes the stage for each request
     * @return this client
     */
    public TestOutboundClient answer(Function<OutboundRequest, CompletionStage<OutboundResponse>> script) {
        this.fallback = Objects.requireNonNull(script, "script");
        return this;
    }

    /** @return every request sent so far, in order */
    public List<OutboundRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public CompletionStage<OutboundResponse> send(OutboundRequest request) {
        Objects.requireNonNull(request, "request");
        requests.add(request);
        CompletionStage<OutboundResponse> scripted = byUrl.getOrDefault(request.uri().toString(), fallback).apply(request);
        CompletableFuture<OutboundResponse> call = new CompletableFuture<>();
        Objects.requireNonNull(scripted, "the script returned no stage").whenComplete((response, failure) -> {
            if (failure != null) {
                call.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
            } else if (response.bodyLength() > request.maxResponseBody()) {
                call.completeExceptionally(new ResponseTooLargeException(request + ": response body over "
                        + request.maxResponseBody() + " bytes", request.maxResponseBody()));
            } else {
                call.complete(response);
            }
        });
        return call;
    }
}
