package io.gatehouse.api.outbound;

import java.util.concurrent.CompletionStage;

/**
 * An asynchronous HTTP/1.1 client for calls from filters to other services. The server's client
 * ({@link io.gatehouse.api.FilterContext#http()}) is one for the whole server: a bounded pool of
 * keep-alive connections per origin, a few I/O threads of its own, closed when the server stops.
 * It never blocks the caller, follows no redirects, retries nothing, keeps no cookies and
 * decompresses nothing.
 *
 * <p><b>Threads.</b> {@link #send} may be called from any thread, an exchange's I/O thread
 * included. The stage completes on one of the client's own threads, so code chained to it must
 * be short and must not block. A hook may return a stage derived from it: the server continues
 * the exchange on the exchange's own I/O thread.
 *
 * <p><b>Failures.</b> The stage fails with an {@link OutboundException} (possibly wrapped in a
 * {@link java.util.concurrent.CompletionException} by the stages derived from it):
 * <ul>
 *   <li>{@link OutboundTimeoutException}: the request's {@link OutboundRequest#timeout()} elapsed,
 *       waiting for a pooled connection, connecting or waiting for the response;</li>
 *   <li>{@link OutboundConnectException}: no connection could be made (refused, unreachable,
 *       unknown host);</li>
 *   <li>{@link ResponseTooLargeException}: the response body exceeded {@link
 *       OutboundRequest#maxResponseBody()}; the connection is closed, not reused;</li>
 *   <li>{@link OutboundException} itself: anything else (reset, malformed response, a client
 *       already closed).</li>
 * </ul>
 * An origin's {@code 4xx} or {@code 5xx} is an answer, not a failure.
 *
 * <p><b>Cancellation.</b> Cancelling the stage {@code send} returned (through {@code
 * toCompletableFuture().cancel(true)}) abandons the request: its connection is closed and its
 * place in the pool freed. Cancelling a stage derived from it cancels only that stage.
 *
 * <p>Implementations are thread-safe. Tests stub it with {@link io.gatehouse.api.testkit.TestOutboundClient}
 * or any lambda.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface OutboundClient {

    /**
     * Sends a request; the response's body is read into memory, up to the request's {@link
     * OutboundRequest#maxResponseBody()}.
     *
     * @param request the request
     * @return a stage completed with the response, or failed with an {@link OutboundException}
     */
    CompletionStage<OutboundResponse> send(OutboundRequest request);
}
