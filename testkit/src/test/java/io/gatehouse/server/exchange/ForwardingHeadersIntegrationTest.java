package io.gatehouse.server.exchange;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Forwarded-*, Forwarded, X-Real-IP and Via as the origin sees them, for untrusted and trusted clients. */
class ForwardingHeadersIntegrationTest {

    private static final String SPOOFED = "GET / HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 6.6.6.6\r\n"
            + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nForwarded: for=6.6.6.6\r\n"
            + "X-Real-IP: 6.6.6.6\r\nVia: 1.0 upstream-proxy\r\n\r\n";

    private static TestOrigin origin() {
        return TestOrigin.start(Reply.ok("ok"));
    }

    @Test
    void untrustedClientsForwardingHeadersAreReplaced() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start();
             RawConnection raw = proxy.raw()) {
            raw.send(SPOOFED).readResponse();

            ReceivedRequest received = origin.lastRequest();
            assertThat(received.headers().all("X-Forwarded-For")).hasSize(1);
            assertThat(received.header("X-Forwarded-For")).hasValue("127.0.0.1");
            assertThat(received.header("X-Forwarded-Proto")).hasValue("http");
            assertThat(received.header("X-Forwarded-Host")).hasValue("shop.example");
            assertThat(received.header("Forwarded")).hasValue("for=127.0.0.1;host=shop.example;proto=http");
            assertThat(received.header("X-Real-IP")).hasValue("127.0.0.1");
            assertThat(received.header("Via")).hasValue("1.0 upstream-proxy, 1.1 gatehouse");
        }
    }

    @Test
    void trustedProxysForwardingHeadersAreKeptAndExtended() {
        try (TestOrigin origin = origin();
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  forwarding: { trusted-proxies: [\"127.0.0.0/8\"] }\n").start();
             RawConnection raw = proxy.raw()) {
            raw.send(SPOOFED).readResponse();

            ReceivedRequest received = origin.lastRequest();
            assertThat(received.header("X-Forwarded-For")).hasValue("6.6.6.6, 127.0.0.1");
            assertThat(received.header("X-Forwarded-Proto")).hasValue("https");
            assertThat(received.header("X-Forwarded-Host")).hasValue("evil.example");
            assertThat(received.header("Forwarded"))
                    .hasValue("for=6.6.6.6, for=127.0.0.1;host=shop.example;proto=http");
            assertThat(received.header("X-Real-IP")).hasValue("6.6.6.6");
        }
    }
}
