package io.gatehouse.api;

import io.gatehouse.api.annotation.Unstable;

import java.util.Optional;

/**
 * How an exchange ended, as given to {@link ProxyFilter#onComplete}. Immutable.
 *
 * <p>Plugins read an outcome; they do not implement this interface. The server gives its own
 * implementation, and tests build one with {@code io.gatehouse.api.testkit.TestOutcome}. New
 * accessors are added as default methods, so code that reads outcomes keeps compiling and
 * running.
 *
 * @since 0.1 (a record until 0.2)
 */
public interface Outcome {

    /** @return the kind of ending */
    Kind kind();

    /** @return the status sent to the client, 0 when none was sent */
    int status();

    /** @return the number of body bytes received from the client */
    long requestBodyBytes();

    /** @return the number of body bytes sent to the client */
    long responseBodyBytes();

    /** @return nanoseconds from the arrival of the request head to the end of the exchange */
    long durationNanos();

    /** @return the upstream of the last attempt, if one was chosen */
    Optional<Upstream> upstream();

    /** @return the error that ended the exchange, if any */
    Optional<Throwable> failure();

    /**
     * The route named by a filter ({@link Exchange#setRoute}) when the exchange ended.
     *
     * @return the route, if one was named
     * @since 0.2
     */
    default Optional<String> route() {
        return Optional.empty();
    }

    /**
     * The cluster named by a filter ({@link Exchange#setCluster}) when the exchange ended.
     *
     * @return the cluster, if one was named
     * @since 0.2
     */
    default Optional<String> cluster() {
        return Optional.empty();
    }

    /**
     * How many times the proxy tried to reach an upstream: 0 when no attempt was made (a filter
     * answered, or the exchange ended before), 1 without retries.
     *
     * @return the number of upstream attempts
     * @since 0.2
     */
    default int attempts() {
        return 0;
    }

    /**
     * Why the proxy itself made the answer or ended the exchange, as a stable, machine-readable
     * code in {@code lower_snake_case}, in the manner of Envoy's response code details: for
     * example {@code no_route}, {@code upstream_connect_failure}, {@code upstream_reset},
     * {@code upstream_response_timeout}, {@code filter_timeout}, {@code filter_failure},
     * {@code downstream_disconnect}. Empty when the status came from the origin or from a filter's
     * answer and the exchange ended normally. Log it and count by it; the set of codes grows.
     * {@link Unstable} in 0.2: the server's codes are still being settled.
     *
     * @return the code, if the proxy made the answer or ended the exchange
     * @since 0.2
     */
    @Unstable
    default Optional<String> detail() {
        return Optional.empty();
    }

    /**
     * How long the origin took to answer: from the start of the last attempt (its connection or
     * pool lease included) to the arrival of the origin's response head, as nginx's {@code
     * $upstream_header_time}. Empty when no origin answered (a filter or the proxy did, or the
     * attempt failed).
     *
     * @return the time to the origin's response head
     * @since 0.2
     */
    default Optional<java.time.Duration> upstreamTime() {
        return Optional.empty();
    }

    /**
     * The timed steps of a sampled exchange, for tracing: first the exchange itself ({@link
     * Timing.Kind#EXCHANGE}), then every {@code onRequest} and {@code onResponse} call ({@link
     * Timing.Kind#FILTER_HOOK}) and every upstream attempt ({@link Timing.Kind#UPSTREAM_ATTEMPT})
     * in the order they started. Recorded only when the exchange's {@link Exchange#trace() trace}
     * is sampled and a filter of the chain {@link ProxyFilter#readsTimings() reads timings};
     * empty otherwise (and when trace context is switched off), so that an unsampled exchange,
     * or a chain without exporter, costs nothing. {@code onComplete} calls are not in it: they run after the outcome
     * is made.
     *
     * @return the steps, immutable; empty when the exchange was not sampled
     * @since 0.2
     */
    default java.util.List<Timing> timings() {
        return java.util.List.of();
    }

    /**
     * The kinds of endings.
     *
     * @since 0.1
     */
    enum Kind {
        /** A response was sent completely (an error status counts too). */
        COMPLETED,
        /** The client went away or the exchange was aborted mid-way. */
        ABORTED
    }
}
