package io.gatehouse.server.exchange;

import io.gatehouse.api.Response;

import java.util.Optional;

/**
 * Every answer the proxy makes itself, in one table: the status, the text the client reads, and
 * a stable detail code for logs and metrics (the exchange's outcome carries it, in the manner of
 * Envoy's response code details). Entries without an argument share one prebuilt, immutable
 * {@link Response}; {@link #of(Response)} finds the entry of such a response again.
 */
public enum LocalResponses {
    /** A request head the parser refused (408, 414, 431, 501, ...): status and reason come with it. */
    REQUEST_HEAD_REJECTED(0, "%s", "request_head_rejected"),
    /** HTTP/1.1 without exactly one Host field. */
    HOST_REQUIRED(400, "Bad Request: exactly one Host header is required", "host_required"),
    /** A request path with {@code ..} above the root ({@link io.gatehouse.api.http.PathNormalizer}). */
    PATH_ABOVE_ROOT(400, "Bad Request: the path climbs above the root", "request_path_rejected"),
    /** A request path with {@code %} not followed by two hex digits. */
    PATH_BAD_PERCENT_ENCODING(400, "Bad Request: bad percent-encoding in the path", "request_path_rejected"),
    /** A request path with {@code %2F} or {@code %5C}. */
    PATH_ENCODED_SLASH(400, "Bad Request: encoded slash or backslash in the path", "request_path_rejected"),
    /** A request path with an encoded control character ({@code %00}-{@code %1F}, {@code %7F}). */
    PATH_ENCODED_CONTROL(400, "Bad Request: encoded control character in the path", "request_path_rejected"),
    /** A request path with a backslash, a {@code #} or another character no path may hold. */
    PATH_INVALID_CHARACTER(400, "Bad Request: invalid character in the path", "request_path_rejected"),
    /** Any other request path that cannot be normalised. */
    PATH_INVALID(400, "Bad Request: the request path cannot be normalised", "request_path_rejected"),
    /** A chunked request body with broken framing. */
    MALFORMED_REQUEST_BODY(400, "Bad Request: malformed chunked body", "malformed_request_body"),
    /** A request body over {@code server.limits.body}, declared or streamed. */
    REQUEST_BODY_TOO_LARGE(413, "Content Too Large", "request_body_too_large"),
    /** An {@code Expect} other than one {@code 100-continue}. */
    EXPECTATION_FAILED(417, "Expectation Failed", "expectation_failed"),
    /** {@code Via} names this proxy {@code server.forwarding.via-loop-limit} times already. */
    LOOP_DETECTED(508, "Loop Detected: the request has passed through this proxy too often", "loop_detected"),
    /** A hook threw or completed exceptionally. */
    FILTER_FAILED(500, "Internal Server Error: a filter failed", "filter_failed"),
    /** A hook did not complete within {@code server.timeouts.filter}. */
    FILTER_TIMEOUT(504, "Gateway Timeout: a filter did not complete in time", "filter_timeout"),
    /** The proxy failed internally while handling the exchange. */
    INTERNAL_ERROR(500, "Internal Server Error", "internal_error"),
    /** A filter named a cluster that no load balancer serves. */
    NO_CLUSTER(502, "Bad Gateway: no load balancer serves cluster %s", "no_cluster"),
    /** Neither a filter nor {@code server.upstream} chose an upstream. */
    NO_UPSTREAM(502, "Bad Gateway: no upstream is configured for this request", "no_upstream"),
    /** The selector had no upstream to offer (all ejected, circuit open...). */
    NO_HEALTHY_UPSTREAM(503, "Service Unavailable: no upstream available", "no_healthy_upstream"),
    /** The server is stopping and no longer opens origin connections. */
    SHUTTING_DOWN(503, "Service Unavailable: shutting down", "shutting_down"),
    /** {@code server.limits.tunnels} WebSocket tunnels are open already. */
    TOO_MANY_TUNNELS(503, "Service Unavailable: too many WebSocket connections", "too_many_tunnels"),
    /** The origin's answer to a WebSocket upgrade could not be read or relayed. */
    UPSTREAM_UPGRADE_FAILED(502, "Bad Gateway: the upstream's answer to the upgrade could not be relayed", "upstream_upgrade_failed"),
    /** Connecting (or waiting for a pooled connection) took longer than {@code server.timeouts.connect}. */
    UPSTREAM_CONNECT_TIMEOUT(504, "Gateway Timeout: connecting to the upstream timed out", "upstream_connect_timeout"),
    /** The connection to the upstream could not be made. */
    UPSTREAM_CONNECT_FAILURE(502, "Bad Gateway: cannot connect to the upstream", "upstream_connect_failure"),
    /** The upstream sent a header field the proxy will not relay. */
    UPSTREAM_INVALID_HEADER(502, "Bad Gateway: the upstream sent an invalid header", "upstream_invalid_header"),
    /** The upstream stayed silent longer than the response timeout. */
    UPSTREAM_RESPONSE_TIMEOUT(504, "Gateway Timeout: the upstream did not answer in time", "upstream_response_timeout"),
    /** The upstream connection failed before a response head arrived. */
    UPSTREAM_RESET(502, "Bad Gateway: the upstream failed before responding", "upstream_reset"),
    /** The upstream failed after its head arrived but before the head went to the client. */
    UPSTREAM_FAILED_WHILE_RESPONDING(502, "Bad Gateway: the upstream failed while responding", "upstream_failed_while_responding");

    private final int status;
    private final String text;
    private final String detail;
    private final Response response;

    LocalResponses(int status, String text, String detail) {
        this.status = status;
        this.text = text;
        this.detail = detail;
        this.response = text.contains("%s") ? null : Response.text(status, text);
    }

    /** @return the stable code naming this answer, e.g. {@code upstream_connect_failure} */
    public String detail() {
        return detail;
    }

    /** @return the status of this answer */
    public int status() {
        return status;
    }

    /**
     * @return the shared response of an entry without arguments
     * @throws IllegalStateException for an entry that needs an argument
     */
    public Response response() {
        if (response == null) {
            throw new IllegalStateException(name() + " needs an argument");
        }
        return response;
    }

    /**
     * @param argument what the text names (a cluster, say)
     * @return a new response of this entry
     */
    public Response response(String argument) {
        return Response.text(status, String.format(text, argument));
    }

    /**
     * @param status the status of a refused request head
     * @param reasonPhrase its reason phrase
     * @param reason what was wrong
     * @return the answer to a refused request head
     */
    static Response rejectedHead(int status, String reasonPhrase, String reason) {
        return Response.text(status, reasonPhrase + ": " + reason);
    }

    /**
     * @param reason the message of {@link io.gatehouse.api.http.PathNormalizer}'s refusal
     * @return the entry answering it: the one whose text names the reason, else {@link #PATH_INVALID}
     */
    static LocalResponses pathRefused(String reason) {
        for (LocalResponses entry : values()) {
            if (entry.detail.equals(PATH_INVALID.detail) && entry.text.endsWith(": " + reason)) {
                return entry;
            }
        }
        return PATH_INVALID;
    }

    /**
     * @param response a response
     * @return the entry whose shared response it is, or empty for any other response
     */
    public static Optional<LocalResponses> of(Response response) {
        for (LocalResponses entry : values()) {
            if (entry.response == response) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }
}
