package io.gatehouse.server.listener;

import io.gatehouse.server.testing.ProxyFixture;
import io.gatehouse.server.testing.RawConnection;
import io.gatehouse.server.testing.TestOrigin;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 408 of a request head that missed its deadline is answered by the connection's I/O thread,
 * through HttpCore, in order: never written into the socket by a timer while the response to an
 * earlier pipelined request is still on its way.
 */
class HeadDeadlineIntegrationTest {

    @Test
    void aLateHeadBehindASlowResponseGets408AfterThatResponse() throws Exception {
        try (TestOrigin origin = TestOrigin.start((request, response, context) -> {
            try {
                TimeUnit.MILLISECONDS.sleep(1_000); // the origin's own slowness, not test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.setEntity(new StringEntity("slow answer"));
        }); ProxyFixture proxy = ProxyFixture.start("server:\n  upstream: " + origin.url() + "\n"
                + "  timeouts: { request-head: 200ms }\n", List.of());
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
