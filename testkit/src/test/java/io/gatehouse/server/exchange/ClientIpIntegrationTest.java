package io.gatehouse.server.exchange;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Exchange.clientIp()} on the real server: resolved once, from the fields as the client sent them. */
class ClientIpIntegrationTest {

    /** Tells the origin what {@code clientIp()} said, after first scribbling over X-Forwarded-For. */
    static final class ShowClientIp implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "show-client-ip";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    exchange.request().headers().set("X-Forwarded-For", "192.0.2.99");
                    exchange.request().headers().set("X-Client-Ip", exchange.clientIp().getHostAddress());
                    return FilterResult.proceed();
                }
            };
        }
    }

    private static String clientIpSeenBehind(String forwarding, String xForwardedFor) {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                     .config("server:\n  upstream: " + origin.url() + "\n" + forwarding + "filters: [ { type: show-client-ip } ]\n")
                     .filters(new ShowClientIp()).start()) {
            assertThat(gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/")).header("X-Forwarded-For", xForwardedFor).build())
                    .statusCode()).isEqualTo(200);
            return origin.lastRequest().header("X-Client-Ip").orElseThrow();
        }
    }

    @Test
    void anUntrustedClientIsItsTcpPeer() {
        assertThat(clientIpSeenBehind("", "203.0.113.5")).isEqualTo("127.0.0.1");
    }

    @Test
    void behindATrustedProxyTheForwardedClientCounts() {
        assertThat(clientIpSeenBehind("  forwarding: { trusted-proxies: [ \"127.0.0.0/8\" ] }\n", "6.6.6.6, 203.0.113.5"))
                .isEqualTo("203.0.113.5");
    }
}
