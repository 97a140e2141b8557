package io.gatehouse.server.outbound;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundSettingsTest {

    @Test
    void theDefaultsAreSmallAndBounded() {
        assertThat(OutboundSettings.DEFAULTS).isEqualTo(new OutboundSettings(2, 32, 256, Duration.ofSeconds(60)));
        assertThatThrownBy(() -> new OutboundSettings(0, 1, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboundSettings(1, 2, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientThatWasNeverUsedStartsNoThreadAndClosesTwice() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        try {
            OutboundHttpClient client = new OutboundHttpClient(OutboundSettings.DEFAULTS, timer);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("gatehouse-outbound-"));
            client.close();
            client.close();
            assertThat(client.inFlight()).isZero();
        } finally {
            timer.shutdownNow();
        }
    }
}
