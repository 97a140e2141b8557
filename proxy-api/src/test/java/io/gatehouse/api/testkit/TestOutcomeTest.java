package io.gatehouse.api.testkit;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOutcomeTest {

    @Test
    void unsetValuesAreZeroOrEmpty() {
        Outcome outcome = TestOutcome.completed(204).build();

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.COMPLETED);
        assertThat(outcome.status()).isEqualTo(204);
        assertThat(outcome.requestBodyBytes()).isZero();
        assertThat(outcome.responseBodyBytes()).isZero();
        assertThat(outcome.durationNanos()).isZero();
        assertThat(outcome.upstream()).isEmpty();
        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.route()).isEmpty();
        assertThat(outcome.cluster()).isEmpty();
        assertThat(outcome.attempts()).isZero();
        assertThat(outcome.detail()).isEmpty();
    }

    @Test
    void everyValueCanBeSet() {
        Upstream upstream = Upstream.parse("http://10.0.0.1:8080");
        IOException failure = new IOException("reset");
        Outcome outcome = TestOutcome.aborted().status(502).requestBodyBytes(10).responseBodyBytes(20).durationNanos(30)
                .upstream(upstream).failure(failure).route("orders").cluster("api").attempts(2).detail("upstream_reset")
                .build();

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.ABORTED);
        assertThat(outcome.status()).isEqualTo(502);
        assertThat(outcome.requestBodyBytes()).isEqualTo(10);
        assertThat(outcome.responseBodyBytes()).isEqualTo(20);
        assertThat(outcome.durationNanos()).isEqualTo(30);
        assertThat(outcome.upstream()).contains(upstream);
        assertThat(outcome.failure()).containsSame(failure);
        assertThat(outcome.route()).contains("orders");
        assertThat(outcome.cluster()).contains("api");
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.detail()).contains("upstream_reset");
    }

    @Test
    void theBuilderIsImmutableSoAStartingPointCanBeShared() {
        TestOutcome base = TestOutcome.completed(200).cluster("api");
        Outcome slow = base.durationNanos(5_000_000_000L).build();
        Outcome failed = base.status(503).detail("no_healthy_upstream").build();

        assertThat(base.build().status()).isEqualTo(200);
        assertThat(base.build().durationNanos()).isZero();
        assertThat(base.build().detail()).isEmpty();
        assertThat(slow.status()).isEqualTo(200);
        assertThat(slow.cluster()).contains("api");
        assertThat(failed.durationNanos()).isZero();
        assertThat(failed.cluster()).contains("api");
    }

    @Test
    void builtOutcomesHaveValueEquality() {
        assertThat(TestOutcome.completed(200).route("r").build()).isEqualTo(TestOutcome.completed(200).route("r").build());
        assertThat(TestOutcome.completed(200).route("r").build()).isNotEqualTo(TestOutcome.completed(200).route("s").build());
        assertThat(TestOutcome.completed(200).build()).isNotEqualTo(TestOutcome.aborted().status(200).build());
    }

    @Test
    void impossibleValuesAreRefusedAtOnce() {
        assertThatThrownBy(() -> TestOutcome.completed(42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("42");
        assertThatThrownBy(() -> TestOutcome.completed(200).status(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestOutcome.completed(200).responseBodyBytes(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("responseBodyBytes");
        assertThatThrownBy(() -> TestOutcome.completed(200).attempts(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestOutcome.completed(200).detail("Upstream Reset")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower_snake_case");
        assertThatThrownBy(() -> TestOutcome.completed(200).detail("upstream_")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestOutcome.completed(200).route(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("route");
    }

    @Test
    void statusZeroMeansNoneWasSent() {
        assertThat(TestOutcome.completed(0).build().status()).isZero();
        assertThat(TestOutcome.aborted().build().status()).isZero();
    }
}
