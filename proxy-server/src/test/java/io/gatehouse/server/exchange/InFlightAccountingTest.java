package io.gatehouse.server.exchange;

import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-flight count that a graceful stop waits for counts only exchanges whose head arrived. */
class InFlightAccountingTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final ExchangeServices services = new ExchangeServices(
            new ConfigLoader(Path.of("")).parse("server: { upstream: \"http://127.0.0.1:9\" }", "test.yaml"),
            new FilterChain(List.of()), timer, null);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void anExchangeReleasedBeforeItsHeadWasHandledDoesNotCountDown() {
        ClientLeg leg = new ClientLeg(services, Runnable::run);

        leg.releaseResources();

        assertThat(services.inFlight()).isZero();
    }

    @Test
    void anExchangeThatFailedBeforeItsHeadWasHandledDoesNotCountDown() {
        ClientLeg leg = new ClientLeg(services, Runnable::run);

        leg.failed(new IOException("connection reset"));
        leg.releaseResources();

        assertThat(services.inFlight()).isZero();
    }
}
