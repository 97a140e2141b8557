package io.gatehouse.server.chain;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExchangeOutcomeTest {

    @Test
    void theBuilderFillsEveryAccessorOfTheApi() {
        Upstream upstream = Upstream.parse("http://10.0.0.1:8080");
        IOException failure = new IOException("reset");
        Outcome outcome = ExchangeOutcome.builder(Outcome.Kind.ABORTED).status(200).bodyBytes(3, 4).durationNanos(5)
                .upstream(Optional.of(upstream)).failure(Optional.of(failure)).routing(Optional.of("orders"), Optional.of("api"))
                .attempts(2).detail(Optional.of("upstream_reset")).build();

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.ABORTED);
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.requestBodyBytes()).isEqualTo(3);
        assertThat(outcome.responseBodyBytes()).isEqualTo(4);
        assertThat(outcome.durationNanos()).isEqualTo(5);
        assertThat(outcome.upstream()).contains(upstream);
        assertThat(outcome.failure()).containsSame(failure);
        assertThat(outcome.route()).contains("orders");
        assertThat(outcome.cluster()).contains("api");
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.detail()).contains("upstream_reset");
    }

    @Test
    void whatIsNotSetIsZeroOrEmpty() {
        Outcome outcome = ExchangeOutcome.builder(Outcome.Kind.COMPLETED).build();

        assertThat(outcome.status()).isZero();
        assertThat(outcome.upstream()).isEmpty();
        assertThat(outcome.route()).isEmpty();
        assertThat(outcome.attempts()).isZero();
        assertThat(outcome.detail()).isEmpty();
    }

    @Test
    void impossibleValuesAreRefused() {
        assertThatThrownBy(() -> ExchangeOutcome.builder(Outcome.Kind.COMPLETED).status(42).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExchangeOutcome.builder(Outcome.Kind.COMPLETED).bodyBytes(-1, 0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExchangeOutcome.builder(Outcome.Kind.COMPLETED).detail(Optional.of("Bad Gateway")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExchangeOutcome.builder(null).build()).isInstanceOf(NullPointerException.class);
    }
}
