package io.gatehouse.plugins.tracing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

class OpenTelemetryLogsTest {

    @Test
    void theSdksJulRecordsReachTheServersLogUnderTheirNames() {
        Logger target = (Logger) LoggerFactory.getLogger("io.opentelemetry.sdk.test");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        target.addAppender(events);
        try {
            OpenTelemetryLogs.install();
            OpenTelemetryLogs.install(); // once only: a second call adds no second handler

            java.util.logging.Logger.getLogger("io.opentelemetry.sdk.test").log(Level.SEVERE, "Failed to export {0} spans",
                    new Object[] {4});
            java.util.logging.Logger.getLogger("io.opentelemetry.sdk.test").warning("slow");

            assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("Failed to export 4 spans", "slow");
            assertThat(events.list).extracting(e -> e.getLevel().toString()).containsExactly("ERROR", "WARN");
            assertThat(java.util.logging.Logger.getLogger("io.opentelemetry").getUseParentHandlers())
                    .as("no second line on JUL's console").isFalse();
        } finally {
            target.detachAppender(events);
        }
    }
}
