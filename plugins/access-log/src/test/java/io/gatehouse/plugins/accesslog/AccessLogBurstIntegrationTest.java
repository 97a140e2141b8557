package io.gatehouse.plugins.accesslog;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of exchanges while the log's sink is stuck: every request is still served, at most the
 * buffer's worth of lines waits (bounded memory), the rest is dropped and counted, and once the
 * sink moves again the queued lines are written.
 */
class AccessLogBurstIntegrationTest {

    private static final Pattern COUNTS = Pattern.compile("lines: (\\d+) written, (\\d+) dropped \\(buffer full\\), (\\d+) lost "
            + "\\(write errors\\), (\\d+) queued");

    private static long[] counts(EmbeddedGatehouse gatehouse) {
        String status = gatehouse.status("access-log#0").orElseThrow();
        Matcher m = COUNTS.matcher(status);
        assertThat(m.find()).as(status).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4))};
    }

    @Test
    void aStuckSinkCostsLinesNotRequestsOrMemory() throws Exception {
        BlockingSink sink = new BlockingSink();
        int requests = 300;
        int buffer = 20;
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                     .config("filters: [ { type: access-log, config: { output: stdout, format: json, buffer: { lines: " + buffer + " } } } ]")
                     .filters(new AccessLogFilterFactory((config, context) -> sink)).upstream(origin).start()) {
            long started = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> response = gatehouse.get("/burst/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                if (i == 0) {
                    assertThat(sink.firstWrite.await(10, TimeUnit.SECONDS)).isTrue(); // the writer is now stuck on line 1
                }
                long[] c = counts(gatehouse);
                assertThat(c[3]).as("queued lines after request %d", i).isLessThanOrEqualTo(buffer);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));

            // the requests end before their onComplete may have run: wait for every line to be counted
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                long[] c = counts(gatehouse);
                return c[1] + c[3] + 1 >= requests; // dropped + queued + the one the writer holds
            });
            long[] stuck = counts(gatehouse);
            assertThat(stuck[0]).isZero();
            assertThat(stuck[3]).isLessThanOrEqualTo(buffer);
            assertThat(stuck[1]).isGreaterThanOrEqualTo(requests - buffer - 1);

            sink.open.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> counts(gatehouse)[0] == requests - stuck[1]);
            assertThat(sink.lines).hasSize((int) (requests - stuck[1]));
            assertThat(sink.lines.get(0)).contains("\"path\":\"/burst/0\"");
        }
    }
}
