package io.gatehouse.server.exchange;

import io.gatehouse.server.testing.ProxyFixture;
import io.gatehouse.server.testing.RawConnection;
import io.gatehouse.server.testing.TestOrigin;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Forwarded-*, Forwarded, X-Real-IP and Via as the origin sees them, for untrusted and trusted clients. */
class ForwardingHeadersIntegrationTest {

    private static final String SPOOFED = "GET / HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 6.6.6.6\r\n"
            + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nForwarded: for=6.6.6.6\r\n"
            + "X-Real-IP: 6.6.6.6\r\nVia: 1.0 upstream-proxy\r\n\r\n";

    private static TestOrigin origin() {
        return TestOrigin.start((request, response, context) -> response.setEntity(new StringEntity("ok")));
    }

    @Test
    void untrustedClientsForwardingHeadersAreReplaced() {
        try (TestOrigin origin = origin(); ProxyFixture proxy = ProxyFixture.plain(origin.url()); RawConnection raw = proxy.raw()) {
            raw.send(SPOOFED).readResponse();

            ClassicHttpRequest received = origin.lastRequest();
            assertThat(received.getHeaders("X-Forwarded-For")).hasSize(1);
            assertThat(received.getFirstHeader("X-Forwarded-For").getValue()).isEqualTo("127.0.0.1");
            assertThat(received.getFirstHeader("X-Forwarded-Proto").getValue()).isEqualTo("http");
            assertThat(received.getFirstHeader("X-Forwarded-Host").getValue()).isEqualTo("shop.example");
            assertThat(received.getFirstHeader("Forwarded").getValue()).isEqualTo("for=127.0.0.1;host=shop.example;proto=http");
            assertThat(received.getFirstHeader("X-Real-IP").getValue()).isEqualTo("127.0.0.1");
            assertThat(received.getFirstHeader("Via").getValue()).isEqualTo("1.0 upstream-proxy, 1.1 gatehouse");
        }
    }

    @Test
    void trustedProxysForwardingHeadersAreKeptAndExtended() {
        try (TestOrigin origin = origin();
             ProxyFixture proxy = ProxyFixture.start("server:\n  upstream: " + origin.url()
                     + "\n  forwarding: { trusted-proxies: [\"127.0.0.0/8\"] }\n", List.of());
             RawConnection raw = proxy.raw()) {
            raw.send(SPOOFED).readResponse();

            ClassicHttpRequest received = origin.lastRequest();
            assertThat(received.getFirstHeader("X-Forwarded-For").getValue()).isEqualTo("6.6.6.6, 127.0.0.1");
            assertThat(received.getFirstHeader("X-Forwarded-Proto").getValue()).isEqualTo("https");
            assertThat(received.getFirstHeader("X-Forwarded-Host").getValue()).isEqualTo("evil.example");
            assertThat(received.getFirstHeader("Forwarded").getValue())
                    .isEqualTo("for=6.6.6.6, for=127.0.0.1;host=shop.example;proto=http");
            assertThat(received.getFirstHeader("X-Real-IP").getValue()).isEqualTo("6.6.6.6");
        }
    }
}
