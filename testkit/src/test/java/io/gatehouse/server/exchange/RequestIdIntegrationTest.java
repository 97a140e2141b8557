package io.gatehouse.server.exchange;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.Response;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The request id: kept from trusted proxies, generated otherwise, seen by filters, the origin and the client. */
class RequestIdIntegrationTest {

    private static final String WITH_ID = "GET /a HTTP/1.1\r\nHost: shop.example\r\nX-Request-Id: from-edge-1\r\n\r\n";

    /** Records the request id it saw; answers {@code /local} itself. */
    static final class Recorder implements ProxyFilterFactory<String> {
        final AtomicReference<Optional<String>> seen = new AtomicReference<>(Optional.empty());

        @Override
        public String type() {
            return "recorder";
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
                    seen.set(exchange.attribute(Keys.REQUEST_ID));
                    return exchange.request().path().equals("/local")
                            ? FilterResult.respond(Response.text(403, "no")) : FilterResult.proceed();
                }
            };
        }
    }

    private static String send(EmbeddedGatehouse proxy, String request) {
        try (RawConnection raw = proxy.raw()) {
            return raw.send(request).readResponse();
        }
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Test
    void anUntrustedClientGetsAFreshIdThatTheFilterTheOriginAndTheClientShare() {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok").header("X-Request-Id", "origin-made"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).filters(recorder)
                     .config("filters: [ { type: recorder } ]").start();
             RawConnection raw = proxy.raw()) {
            String response = raw.send(WITH_ID).readResponse();

            String id = header(response, "X-Request-Id");
            assertThat(id).isNotNull().isNotEqualTo("from-edge-1").isNotEqualTo("origin-made");
            assertThat(origin.lastRequest().headers().all("X-Request-Id")).containsExactly(id);
            assertThat(recorder.seen.get()).hasValue(id);
        }
    }

    @Test
    void aTrustedProxysIdIsKept() {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).filters(recorder)
                     .config("server:\n  forwarding: { trusted-proxies: [\"127.0.0.0/8\"] }\nfilters: [ { type: recorder } ]\n").start();
             RawConnection raw = proxy.raw()) {
            String response = raw.send(WITH_ID).readResponse();

            assertThat(header(response, "X-Request-Id")).isEqualTo("from-edge-1");
            assertThat(origin.lastRequest().header("X-Request-Id")).hasValue("from-edge-1");
            assertThat(recorder.seen.get()).hasValue("from-edge-1");
        }
    }

    @Test
    void answersTheProxyMakesCarryTheIdToo() {
        Recorder recorder = new Recorder();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).filters(recorder)
                     .config("filters: [ { type: recorder } ]").start()) {
            String shortCircuit = send(proxy, "GET /local HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(shortCircuit).startsWith("HTTP/1.1 403");
            assertThat(header(shortCircuit, "X-Request-Id")).isEqualTo(recorder.seen.get().orElseThrow());

            String refused = send(proxy, "GET /%2F HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(refused).startsWith("HTTP/1.1 400");
            assertThat(header(refused, "X-Request-Id")).isNotNull();

            origin.kill();
            String failed = send(proxy, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(failed).startsWith("HTTP/1.1 502");
            assertThat(header(failed, "X-Request-Id")).isEqualTo(recorder.seen.get().orElseThrow());
        }
    }

    @Test
    void aConfiguredFieldNameIsUsedAndIdsCanBeSwitchedOff() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  forwarding: { request-id: { header: X-Correlation-Id } }\n").start()) {
            String response = send(proxy, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(header(response, "X-Correlation-Id")).isNotNull();
            assertThat(header(response, "X-Request-Id")).isNull();
        }
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  forwarding: { request-id: { enabled: false } }\n").start()) {
            String response = send(proxy, WITH_ID);
            assertThat(header(response, "X-Request-Id")).isNull();
            assertThat(origin.lastRequest().header("X-Request-Id")).hasValue("from-edge-1");
        }
    }
}
