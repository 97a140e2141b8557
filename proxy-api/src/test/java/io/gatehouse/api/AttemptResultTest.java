package io.gatehouse.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptResultTest {

    @Test
    void ofKeepsWhatItIsGiven() {
        AttemptResult result = AttemptResult.of(AttemptResult.Kind.RESPONSE, 503, 1_500_000);

        assertThat(result.kind()).isEqualTo(AttemptResult.Kind.RESPONSE);
        assertThat(result.status()).isEqualTo(503);
        assertThat(result.timeToFirstByteNanos()).isEqualTo(1_500_000);
    }

    @Test
    void resultsHaveValueEquality() {
        assertThat(AttemptResult.of(AttemptResult.Kind.RESET, 0, 7)).isEqualTo(AttemptResult.of(AttemptResult.Kind.RESET, 0, 7))
                .hasSameHashCodeAs(AttemptResult.of(AttemptResult.Kind.RESET, 0, 7));
        assertThat(AttemptResult.of(AttemptResult.Kind.RESET, 0, 7)).isNotEqualTo(AttemptResult.of(AttemptResult.Kind.TIMEOUT, 0, 7));
    }

    @ParameterizedTest
    @EnumSource(value = AttemptResult.Kind.class, names = "RESPONSE", mode = EnumSource.Mode.EXCLUDE)
    void failuresHaveNoStatus(AttemptResult.Kind kind) {
        assertThat(AttemptResult.of(kind, 0, 1).status()).isZero();
        assertThatThrownBy(() -> AttemptResult.of(kind, 502, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(kind.name());
    }

    @Test
    void aResponseHasAStatus() {
        assertThatThrownBy(() -> AttemptResult.of(AttemptResult.Kind.RESPONSE, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttemptResult.of(AttemptResult.Kind.RESPONSE, 99, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AttemptResult.of(AttemptResult.Kind.RESPONSE, 100, 1).status()).isEqualTo(100);
        assertThat(AttemptResult.of(AttemptResult.Kind.RESPONSE, 999, 1).status()).isEqualTo(999);
    }

    @Test
    void negativeTimesAndMissingKindsAreRefused() {
        assertThatThrownBy(() -> AttemptResult.of(AttemptResult.Kind.RESET, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttemptResult.of(null, 0, 1)).isInstanceOf(NullPointerException.class);
    }
}
