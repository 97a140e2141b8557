package io.gatehouse.server.tracing;

import io.gatehouse.api.Timing;
import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeTimingsTest {

    @Test
    void offRecordsNothing() {
        ExchangeTimings.OFF.hook("auth", "onRequest", System.nanoTime(), "proceeded");
        assertThat(ExchangeTimings.OFF.on()).isFalse();
        assertThat(ExchangeTimings.OFF.timings(exchangeStep(0))).isEmpty();
    }

    @Test
    void stepsComeAfterTheExchangeInTheOrderTheyStartedOnTheWallClock() {
        long start = System.nanoTime() - 5_000_000;
        long wallBefore = System.currentTimeMillis() * 1_000_000L - 5_000_000;
        ExchangeTimings timings = ExchangeTimings.start(start);
        long attemptStart = start + 2_000_000;
        long hookStart = start + 1_000_000;
        timings.attempt(new Upstream("http", "127.0.0.1", 9000), 1, attemptStart, "response", 200, "1111111111111111");
        timings.hook("auth", "onRequest", hookStart, "proceeded");

        List<Timing> steps = timings.timings(exchangeStep(timings.epoch(start)));

        assertThat(steps).extracting(Timing::kind)
                .containsExactly(Timing.Kind.EXCHANGE, Timing.Kind.FILTER_HOOK, Timing.Kind.UPSTREAM_ATTEMPT);
        assertThat(steps.get(1).name()).isEqualTo("auth");
        assertThat(steps.get(1).operation()).isEqualTo("onRequest");
        assertThat(steps.get(1).startEpochNanos() - steps.get(0).startEpochNanos()).isEqualTo(1_000_000);
        assertThat(steps.get(2).startEpochNanos() - steps.get(0).startEpochNanos()).isEqualTo(2_000_000);
        assertThat(steps.get(2).name()).isEqualTo("http://127.0.0.1:9000");
        assertThat(steps.get(2).operation()).isEqualTo("1");
        assertThat(steps.get(2).status()).isEqualTo(200);
        assertThat(steps.get(2).spanId()).hasValue("1111111111111111");
        assertThat(steps.get(2).durationNanos()).isGreaterThanOrEqualTo(3_000_000);
        // the wall clock of the start is right to within the clocks' precision
        assertThat(steps.get(0).startEpochNanos()).isBetween(wallBefore - 50_000_000, wallBefore + 50_000_000);
    }

    private static Timing exchangeStep(long start) {
        return Timing.of(Timing.Kind.EXCHANGE, "GET", "/", start, 1, "completed", 200, Optional.empty());
    }
}
