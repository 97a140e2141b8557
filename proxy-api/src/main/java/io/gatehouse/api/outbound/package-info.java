/**
 * The outbound HTTP client that the server lends to filters ({@link io.gatehouse.api.FilterContext#http()}):
 * forward authentication, fetching keys, webhooks, shadow traffic, health probes, all without
 * blocking a thread and without a client of each plugin's own.
 *
 * <pre>{@code
 * OutboundRequest check = OutboundRequest.get("http://auth.internal:8080/check")
 *         .header("Authorization", token)
 *         .timeout(Duration.ofSeconds(2))
 *         .build();
 * return context.http().send(check).handle((answer, failure) -> failure == null && answer.status() == 200
 *         ? FilterResult.proceedResult()
 *         : FilterResult.respondResult(Response.text(401, "Unauthorized")));
 * }</pre>
 *
 * <p>Values ({@link io.gatehouse.api.outbound.OutboundRequest}, {@link io.gatehouse.api.outbound.OutboundResponse})
 * are immutable; failures are {@link io.gatehouse.api.outbound.OutboundException}s: {@link
 * io.gatehouse.api.outbound.OutboundTimeoutException}, {@link io.gatehouse.api.outbound.OutboundConnectException},
 * {@link io.gatehouse.api.outbound.ResponseTooLargeException}. No third-party type appears here.
 *
 * @since 0.2
 */
package io.gatehouse.api.outbound;
