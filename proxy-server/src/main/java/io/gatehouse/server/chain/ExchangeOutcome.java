package io.gatehouse.server.chain;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.Timing;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.internal.Checks;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The server's {@link Outcome} (see there for each component): an immutable value, made with {@link #builder}. */
public record ExchangeOutcome(Outcome.Kind kind, int status, long requestBodyBytes, long responseBodyBytes,
                              long durationNanos, Optional<Upstream> upstream, Optional<Throwable> failure,
                              Optional<String> route, Optional<String> cluster, int attempts,
                              Optional<String> detail, Optional<Duration> upstreamTime,
                              List<Timing> timings) implements Outcome {

    public ExchangeOutcome {
        Objects.requireNonNull(kind, "kind");
        Checks.outcomeStatus(status);
        Checks.notNegative("requestBodyBytes", requestBodyBytes);
        Checks.notNegative("responseBodyBytes", responseBodyBytes);
        Checks.notNegative("durationNanos", durationNanos);
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(cluster, "cluster");
        Checks.notNegative("attempts", attempts);
        detail.ifPresent(Checks::detailCode);
        Objects.requireNonNull(upstreamTime, "upstreamTime");
        timings = List.copyOf(timings);
    }

    /**
     * @param kind the kind of ending
     * @return a builder; what is not set is 0 or empty
     */
    public static Builder builder(Outcome.Kind kind) {
        return new Builder(kind);
    }

    /** Collects the parts of an outcome (not thread-safe: one per exchange). Each setter returns this builder. */
    public static final class Builder {

        private final Outcome.Kind kind;
        private int status;
        private long requestBodyBytes;
        private long responseBodyBytes;
        private long durationNanos;
        private Optional<Upstream> upstream = Optional.empty();
        private Optional<Throwable> failure = Optional.empty();
        private Optional<String> route = Optional.empty();
        private Optional<String> cluster = Optional.empty();
        private int attempts;
        private Optional<String> detail = Optional.empty();
        private Optional<Duration> upstreamTime = Optional.empty();
        private List<Timing> timings = List.of();

        private Builder(Outcome.Kind kind) {
            this.kind = kind;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder bodyBytes(long requestBodyBytes, long responseBodyBytes) {
            this.requestBodyBytes = requestBodyBytes;
            this.responseBodyBytes = responseBodyBytes;
            return this;
        }

        public Builder durationNanos(long durationNanos) {
            this.durationNanos = durationNanos;
            return this;
        }

        public Builder upstream(Optional<Upstream> upstream) {
            this.upstream = upstream;
            return this;
        }

        public Builder failure(Optional<Throwable> failure) {
            this.failure = failure;
            return this;
        }

        public Builder routing(Optional<String> route, Optional<String> cluster) {
            this.route = route;
            this.cluster = cluster;
            return this;
        }

        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public Builder detail(Optional<String> detail) {
            this.detail = detail;
            return this;
        }

        public Builder upstreamTime(Optional<Duration> upstreamTime) {
            this.upstreamTime = upstreamTime;
            return this;
        }

        public Builder timings(List<Timing> timings) {
            this.timings = timings;
            return this;
        }

        /** @return the outcome */
        public ExchangeOutcome build() {
            return new ExchangeOutcome(kind, status, requestBodyBytes, responseBodyBytes, durationNanos, upstream, failure,
                    route, cluster, attempts, detail, upstreamTime, timings);
        }
    }
}
