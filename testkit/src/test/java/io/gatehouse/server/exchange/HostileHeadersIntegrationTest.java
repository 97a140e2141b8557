package io.gatehouse.server.exchange;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request fields that re-route, re-identify or loop requests at origins and proxies (issue #20,
 * items 9, 10, 12, 13, 17, 18 and 20), sent by clients from outside.
 */
class HostileHeadersIntegrationTest {

    private static final String TRUSTED = "server:\n  forwarding: { trusted-proxies: [\"127.0.0.0/8\"] }\n";

    private static String send(EmbeddedGatehouse proxy, String request) {
        try (RawConnection raw = proxy.raw()) {
            return raw.send(request).readResponse();
        }
    }

    @Test
    void clientSentGatehouseControlHeadersNeverReachTheOrigin() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config(TRUSTED).start()) {
            send(proxy, "GET / HTTP/1.1\r\nHost: a\r\nX-Gatehouse-Mirror: rel\r\nx-gatehouse-anything: 1\r\n\r\n");

            assertThat(origin.lastRequest().header("X-Gatehouse-Mirror")).isEmpty();
            assertThat(origin.lastRequest().header("X-Gatehouse-Anything")).isEmpty();
        }
    }

    @Test
    void headerNamesWithUnderscoresAndClientAddressLookAlikesAreDroppedFromUntrustedClients() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            send(proxy, "GET / HTTP/1.1\r\nHost: a\r\nX_Forwarded_For: 6.6.6.6\r\nX-Real_IP: 6.6.6.6\r\n"
                    + "True-Client-IP: 6.6.6.6\r\nX-Client-IP: 6.6.6.6\r\nCF-Connecting-IP: 6.6.6.6\r\nX-Kept: yes\r\n\r\n");

            ReceivedRequest received = origin.lastRequest();
            assertThat(received.head()).doesNotContain("6.6.6.6");
            assertThat(received.header("X-Kept")).hasValue("yes");
        }
    }

    @Test
    void clientAddressLookAlikesFromATrustedProxyAreKept() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config(TRUSTED).start()) {
            send(proxy, "GET / HTTP/1.1\r\nHost: a\r\nCF-Connecting-IP: 6.6.6.6\r\n\r\n");

            assertThat(origin.lastRequest().header("CF-Connecting-IP")).hasValue("6.6.6.6");
        }
    }

    @Test
    void underscoresInHeaderNamesCanBeAllowed() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  forwarding: { underscores-in-headers: true }\n").start()) {
            send(proxy, "GET / HTTP/1.1\r\nHost: a\r\nX_Legacy_Token: t\r\n\r\n");

            assertThat(origin.lastRequest().header("X_Legacy_Token")).hasValue("t");
        }
    }

    @Test
    void reRoutingHeadersAreStrippedByDefaultAndTheListIsConfigurable() {
        String request = "GET /public HTTP/1.1\r\nHost: a\r\nX-Original-URL: /admin\r\nX-Rewrite-URL: /admin\r\n"
                + "X-HTTP-Method-Override: DELETE\r\nX-Custom-Route: /admin\r\n\r\n";
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            send(proxy, request);

            ReceivedRequest received = origin.lastRequest();
            assertThat(received.header("X-Original-URL")).isEmpty();
            assertThat(received.header("X-Rewrite-URL")).isEmpty();
            assertThat(received.header("X-HTTP-Method-Override")).isEmpty();
            assertThat(received.header("X-Custom-Route")).hasValue("/admin");
        }
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  forwarding: { strip-request-headers: [X-Custom-Route] }\n").start()) {
            send(proxy, request);

            ReceivedRequest received = origin.lastRequest();
            assertThat(received.header("X-Custom-Route")).isEmpty();
            assertThat(received.header("X-Original-URL")).hasValue("/admin");
        }
    }

    @Test
    void theSchemeFiltersSeeIsTheOneATrustedProxyForwarded() {
        ProxyFilterFactory<PluginConfig> echoScheme = new ProxyFilterFactory<>() {
            @Override
            public String type() {
                return "echo-scheme";
            }

            @Override
            public PluginConfig parseConfig(PluginConfig config) {
                return config;
            }

            @Override
            public ProxyFilter create(PluginConfig config, FilterContext context) {
                return new ProxyFilter() {
                    @Override
                    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                        exchange.request().headers().set("X-Seen-Scheme", exchange.request().scheme());
                        return FilterResult.proceed();
                    }
                };
            }
        };
        String filter = "filters:\n  - type: echo-scheme\n";
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse trusted = EmbeddedGatehouse.builder().upstream(origin).filters(echoScheme)
                     .config(TRUSTED + filter).start();
             EmbeddedGatehouse untrusted = EmbeddedGatehouse.builder().upstream(origin).filters(echoScheme)
                     .config(filter).start()) {
            send(trusted, "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: https\r\n\r\n");
            assertThat(origin.lastRequest().header("X-Seen-Scheme")).hasValue("https");

            send(untrusted, "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: https\r\n\r\n");
            assertThat(origin.lastRequest().header("X-Seen-Scheme")).hasValue("http");

            send(trusted, "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: gopher\r\n\r\n");
            assertThat(origin.lastRequest().header("X-Seen-Scheme")).hasValue("http");
        }
    }

    @Test
    void anAbsoluteFormTargetReplacesTheReceivedHost() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            assertThat(send(proxy, "GET http://target.example/x HTTP/1.0\r\nHost: other.example\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ");

            assertThat(origin.lastRequest().headers().all("Host")).containsExactly("target.example");

            assertThat(send(proxy, "GET http://target.example/x HTTP/1.0\r\nHost: a.example\r\nHost: b.example\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ");
            assertThat(origin.requestCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "a,b", "vict%69m", "<svg/onload=alert(1)>", "a b", "a;b", "a!b"})
    void aHostThatIsNotAPlainNameOrAddressIsRefusedWithFixedText(String host) {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            String response = send(proxy, "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");

            assertThat(response).startsWith("HTTP/1.1 400 ").contains("Content-Type: text/plain")
                    .doesNotContain(host);
            assertThat(origin.requestCount()).isZero();
        }
    }

    @Test
    void usualHostsStillPass() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            for (String host : new String[] {"shop.example", "shop.example:8080", "127.0.0.1:1", "[::1]:80", "my_host.internal", "xn--bcher-kva.example"}) {
                assertThat(send(proxy, "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).as(host).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void aRequestThatAlreadyPassedThisProxyTooOftenIsALoop() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            assertThat(send(proxy, "GET / HTTP/1.1\r\nHost: a\r\nVia: 1.1 gatehouse, 1.1 cdn\r\n\r\n")).startsWith("HTTP/1.1 200 ");

            String looped = send(proxy, "GET / HTTP/1.1\r\nHost: a\r\nVia: 1.1 gatehouse, 1.1 cdn\r\nVia: 1.1 Gatehouse, 1.0 gatehouse (x)\r\n\r\n");

            assertThat(looped).startsWith("HTTP/1.1 508 ");
            assertThat(origin.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void anUpstreamPointingBackAtTheProxyEndsIn508NotInExhaustion() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // the proxy is its own upstream: each pass adds one Via entry, until the limit refuses
        try (EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().port(port).upstream("http://127.0.0.1:" + port).start()) {
            assertThat(send(proxy, "GET /loop HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 508 ");
        }
    }
}
