package io.gatehouse.server.listener;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ConnectionLimit limit = new ConnectionLimit(2, nanos::get);

    @Test
    void letsInUpToTheLimitThenRefusesAndCounts() {
        assertThat(limit.tryOpen()).isTrue();
        assertThat(limit.tryOpen()).isTrue();

        assertThat(limit.tryOpen()).isFalse();
        assertThat(limit.tryOpen()).isFalse();

        assertThat(limit.open()).isEqualTo(2);
        assertThat(limit.refused()).isEqualTo(2);
    }

    @Test
    void aClosedConnectionFreesItsPlace() {
        limit.tryOpen();
        limit.tryOpen();
        limit.closed();

        assertThat(limit.tryOpen()).isTrue();
        assertThat(limit.open()).isEqualTo(2);
        assertThat(limit.refused()).isZero();
    }
}
