package io.gatehouse.plugins.accesslog;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AsyncLineWriterTest {

    @Test
    void theCharacterBudgetBoundsWhatWaitsWhateverTheLineCount() throws Exception {
        BlockingSink sink = new BlockingSink();
        try (AsyncLineWriter writer = new AsyncLineWriter("t", sink, 1_000, 1_024, System::nanoTime)) {
            assertThat(writer.offer("first")).isTrue();
            assertThat(sink.firstWrite.await(10, TimeUnit.SECONDS)).isTrue();
            String line = "x".repeat(100);
            int accepted = 0;
            for (int i = 0; i < 100; i++) {
                accepted += writer.offer(line) ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(10);
            assertThat(writer.queuedChars()).isLessThanOrEqualTo(1_024);
            assertThat(writer.dropped()).isEqualTo(90);
            sink.open.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 11);
        }
    }

    @Test
    void closeWritesWhatIsQueuedAndRefusesMore() {
        BlockingSink sink = new BlockingSink();
        sink.open.countDown();
        AsyncLineWriter writer = new AsyncLineWriter("t", sink, 100, 1 << 20, System::nanoTime);
        for (int i = 0; i < 50; i++) {
            writer.offer("line " + i);
        }
        writer.close();
        assertThat(sink.lines).hasSize(50);
        assertThat(writer.offer("late")).isFalse();
    }
}
