package io.gatehouse.api.testkit;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.Timing;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.internal.Checks;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds {@link Outcome}s for tests of {@code onComplete}. Immutable: every method returns a new
 * builder, so a shared starting point can be reused.
 *
 * <pre>{@code
 * Outcome outcome = TestOutcome.completed(503).responseBodyBytes(120).cluster("api").attempts(2)
 *         .detail("upstream_reset").build();
 * harness.complete(exchange, outcome);
 * }</pre>
 *
 * Values not set are 0 or empty. The built outcome has value equality.
 *
 * @since 0.2
 */
public final class TestOutcome {

    private final Value value;

    private TestOutcome(Value value) {
        this.value = value;
    }

    /**
     * @param status the status sent to the client: 100 to 999, or 0 for none
     * @return a builder of an outcome of kind {@link Outcome.Kind#COMPLETED}
     */
    public static TestOutcome completed(int status) {
        return new TestOutcome(new Value(Outcome.Kind.COMPLETED, Checks.outcomeStatus(status), 0, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), List.of()));
    }

    /** @return a builder of an outcome of kind {@link Outcome.Kind#ABORTED}, with no status sent */
    public static TestOutcome aborted() {
        return new TestOutcome(new Value(Outcome.Kind.ABORTED, 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), List.of()));
    }

    /**
     * @param status the status sent to the client: 100 to 999, or 0 for none
     * @return a builder with that status
     */
    public TestOutcome status(int status) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, Checks.outcomeStatus(status), v.requestBodyBytes, v.responseBodyBytes,
                v.durationNanos, v.upstream, v.failure, v.route, v.cluster, v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param bytes body bytes received from the client, not negative
     * @return a builder with that count
     */
    public TestOutcome requestBodyBytes(long bytes) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, Checks.notNegative("requestBodyBytes", bytes), v.responseBodyBytes,
                v.durationNanos, v.upstream, v.failure, v.route, v.cluster, v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param bytes body bytes sent to the client, not negative
     * @return a builder with that count
     */
    public TestOutcome responseBodyBytes(long bytes) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, Checks.notNegative("responseBodyBytes", bytes),
                v.durationNanos, v.upstream, v.failure, v.route, v.cluster, v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param nanos the duration of the exchange, not negative
     * @return a builder with that duration
     */
    public TestOutcome durationNanos(long nanos) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes,
                Checks.notNegative("durationNanos", nanos), v.upstream, v.failure, v.route, v.cluster, v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param upstream the upstream of the last attempt
     * @return a builder with that upstream
     */
    public TestOutcome upstream(Upstream upstream) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                Optional.of(Objects.requireNonNull(upstream, "upstream")), v.failure, v.route, v.cluster, v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param failure the error that ended the exchange
     * @return a builder with that failure
     */
    public TestOutcome failure(Throwable failure) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                v.upstream, Optional.of(Objects.requireNonNull(failure, "failure")), v.route, v.cluster, v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param route the route named for the exchange
     * @return a builder with that route
     */
    public TestOutcome route(String route) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                v.upstream, v.failure, Optional.of(Objects.requireNonNull(route, "route")), v.cluster, v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param cluster the cluster named for the exchange
     * @return a builder with that cluster
     */
    public TestOutcome cluster(String cluster) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                v.upstream, v.failure, v.route, Optional.of(Objects.requireNonNull(cluster, "cluster")), v.attempts, v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param attempts the number of upstream attempts, not negative
     * @return a builder with that number
     */
    public TestOutcome attempts(int attempts) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                v.upstream, v.failure, v.route, v.cluster, (int) Checks.notNegative("attempts", attempts), v.detail, v.upstreamTime, v.timings));
    }

    /**
     * @param detail a {@link Outcome#detail()} code in {@code lower_snake_case}, e.g. {@code upstream_reset}
     * @return a builder with that detail
     */
    public TestOutcome detail(String detail) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                v.upstream, v.failure, v.route, v.cluster, v.attempts, Optional.of(Checks.detailCode(detail)), v.upstreamTime, v.timings));
    }

    /**
     * @param upstreamTime the time to the origin's response head in the last attempt
     * @return a builder with that time
     */
    public TestOutcome upstreamTime(Duration upstreamTime) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                v.upstream, v.failure, v.route, v.cluster, v.attempts, v.detail, Optional.of(Objects.requireNonNull(upstreamTime, "upstreamTime")), v.timings));
    }

    /**
     * @param timings the timed steps of a sampled exchange ({@link Outcome#timings()}), the exchange's first
     * @return a builder with those steps
     */
    public TestOutcome timings(List<Timing> timings) {
        Value v = value;
        return new TestOutcome(new Value(v.kind, v.status, v.requestBodyBytes, v.responseBodyBytes, v.durationNanos,
                v.upstream, v.failure, v.route, v.cluster, v.attempts, v.detail, v.upstreamTime, List.copyOf(timings)));
    }

    /** @return the outcome, immutable */
    public Outcome build() {
        return value;
    }

    @Override
    public String toString() {
        return "TestOutcome[" + value + "]";
    }

    private record Value(Outcome.Kind kind, int status, long requestBodyBytes, long responseBodyBytes, long durationNanos,
                         Optional<Upstream> upstream, Optional<Throwable> failure, Optional<String> route,
                         Optional<String> cluster, int attempts, Optional<String> detail,
                         Optional<Duration> upstreamTime, List<Timing> timings) implements Outcome {
    }
}
