package io.gatehouse.server.listener;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 408 of a request head that missed its deadline is answered by the connection's I/O thread,
 * through HttpCore, in order: never written into the socket by a timer while the response to an
 * earlier pipelined request is still on its way.
 */
class HeadDeadlineIntegrationTest {

    @Test
    void aLateHeadBehindASlowResponseGets408AfterThatResponse() throws Exception {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("slow answer").delay(Duration.ofSeconds(1))); // the origin's own slowness
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  timeouts: { request-head: 200ms }\n").start();
             RawConnection raw = proxy.raw()) {
            // one whole request, then the start of a second head that never completes
            String received = raw.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\nX-Half: ")
                    .readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 200 ");
            assertThat(received.indexOf("slow answer")).isPositive()
                    .isLessThan(received.indexOf("HTTP/1.1 408 "));
            assertThat(origin.requests()).hasSize(1);
        }
    }
}
