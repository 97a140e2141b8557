package io.gatehouse.api;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeTest {

    /** An outcome written against 0.1: only the accessors the record had. */
    private static final class OldStyleOutcome implements Outcome {

        @Override
        public Kind kind() {
            return Kind.COMPLETED;
        }

        @Override
        public int status() {
            return 200;
        }

        @Override
        public long requestBodyBytes() {
            return 0;
        }

        @Override
        public long responseBodyBytes() {
            return 0;
        }

        @Override
        public long durationNanos() {
            return 0;
        }

        @Override
        public Optional<Upstream> upstream() {
            return Optional.empty();
        }

        @Override
        public Optional<Throwable> failure() {
            return Optional.empty();
        }
    }

    @Test
    void accessorsAddedIn02DefaultToEmptyAndZero() {
        Outcome outcome = new OldStyleOutcome();

        assertThat(outcome.route()).isEmpty();
        assertThat(outcome.cluster()).isEmpty();
        assertThat(outcome.attempts()).isZero();
        assertThat(outcome.detail()).isEmpty();
    }

    @Test
    void theKindsAreTheSameAsIn01() {
        assertThat(Outcome.Kind.values()).containsExactly(Outcome.Kind.COMPLETED, Outcome.Kind.ABORTED);
    }
}
