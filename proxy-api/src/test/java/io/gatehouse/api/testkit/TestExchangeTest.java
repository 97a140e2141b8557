package io.gatehouse.api.testkit;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Key;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestExchangeTest {

    /** Records what it sees as text. */
    static final class Recorder implements BodyObserver {
        final List<String> events = new ArrayList<>();

        @Override
        public void onData(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            events.add("data:" + new String(bytes, StandardCharsets.UTF_8) + (data.isReadOnly() ? "" : "(writable!)"));
        }

        @Override
        public void onEnd(HttpFields trailers) {
            events.add("end:" + trailers.size());
        }
    }

    @Test
    void getRequestDefaults() {
        TestExchange exchange = TestExchange.get("/a/b?x=1&y=2");
        assertThat(exchange.request().method()).isEqualTo("GET");
        assertThat(exchange.request().target()).isEqualTo("/a/b?x=1&y=2");
        assertThat(exchange.request().path()).isEqualTo("/a/b");
        assertThat(exchange.request().query()).contains("x=1&y=2");
        assertThat(exchange.request().scheme()).isEqualTo("http");
        assertThat(exchange.request().protocol()).isEqualTo("HTTP/1.1");
        assertThat(exchange.request().headers().all("host")).containsExactly("localhost");
        assertThat(exchange.request().authority()).isEqualTo("localhost");
        assertThat(exchange.request().host()).isEqualTo("localhost");
        assertThat(exchange.response()).isEmpty();
        assertThat(exchange.clientAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 40000));
        assertThat(exchange.route()).isEmpty();
        assertThat(exchange.cluster()).isEmpty();
        assertThat(exchange.upstreamSelector()).isEmpty();
    }

    @Test
    void requestWithMethodHeadersAndClient() {
        InetSocketAddress client = new InetSocketAddress("10.1.2.3", 5555);
        TestExchange exchange = TestExchange.request("POST", "/submit")
                .header("X-A", "1")
                .header("x-a", "2")
                .header("Host", "Example.com:8443")
                .from(client);
        assertThat(exchange.request().method()).isEqualTo("POST");
        assertThat(exchange.request().query()).isEmpty();
        assertThat(exchange.request().headers().all("X-A")).containsExactly("1", "2");
        assertThat(exchange.request().headers().all("Host")).containsExactly("Example.com:8443");
        assertThat(exchange.request().authority()).isEqualTo("example.com:8443");
        assertThat(exchange.request().host()).isEqualTo("example.com");
        assertThat(exchange.clientAddress()).isSameAs(client);
    }

    @Test
    void setTargetChangesPathAndQuery() {
        TestExchange exchange = TestExchange.get("/old?q=1");
        exchange.request().setTarget("/new");
        assertThat(exchange.request().target()).isEqualTo("/new");
        assertThat(exchange.request().path()).isEqualTo("/new");
        assertThat(exchange.request().query()).isEmpty();
    }

    @Test
    void idsAreUnique() {
        assertThat(TestExchange.get("/").id()).startsWith("test-").isNotEqualTo(TestExchange.get("/").id());
    }

    @Test
    void attributesAreKeyedByIdentity() {
        Key<String> consumer = Key.of("consumer", String.class);
        Key<String> lookalike = Key.of("consumer", String.class);
        Key<Integer> count = Key.of("count", Integer.class);
        TestExchange exchange = TestExchange.get("/");
        assertThat(exchange.attribute(consumer)).isEmpty();
        exchange.setAttribute(consumer, "alice");
        exchange.setAttribute(count, 3);
        assertThat(exchange.attribute(consumer)).contains("alice");
        assertThat(exchange.attribute(count)).contains(3);
        assertThat(exchange.attribute(lookalike)).isEmpty();
        exchange.setAttribute(consumer, "bob");
        assertThat(exchange.attribute(consumer)).contains("bob");
    }

    @Test
    void routeAndCluster() {
        TestExchange exchange = TestExchange.get("/");
        exchange.setRoute("api");
        exchange.setCluster("blue");
        assertThat(exchange.route()).contains("api");
        assertThat(exchange.cluster()).contains("blue");
    }

    @Test
    void setUpstreamInstallsFixedSelector() {
        TestExchange exchange = TestExchange.get("/");
        Upstream upstream = Upstream.parse("http://10.0.0.1:8080");
        exchange.setUpstream(upstream);
        UpstreamSelector selector = exchange.upstreamSelector().orElseThrow();
        assertThat(selector.select(exchange, 1)).contains(upstream);
        assertThat(selector.select(exchange, 2)).contains(upstream);

        UpstreamSelector other = (e, attempt) -> java.util.Optional.empty();
        exchange.setUpstreamSelector(other);
        assertThat(exchange.upstreamSelector()).containsSame(other);
    }

    @Test
    void respondWithCreatesMutableResponseHead() {
        TestExchange exchange = TestExchange.get("/").respondWith(503, "Retry-After", "5", "Server", "x");
        var head = exchange.response().orElseThrow();
        assertThat(head.status()).isEqualTo(503);
        assertThat(head.headers().first("retry-after")).contains("5");
        assertThat(head.headers().size()).isEqualTo(2);
        head.setStatus(200);
        head.headers().remove("Server");
        assertThat(exchange.response().orElseThrow().status()).isEqualTo(200);
        assertThat(exchange.response().orElseThrow().headers().contains("Server")).isFalse();
    }

    @Test
    void requestBodyReachesRegisteredObservers() {
        TestExchange exchange = TestExchange.request("POST", "/upload");
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        exchange.observeRequestBody(first);
        exchange.observeRequestBody(second);
        exchange.feedRequestBody("hello ").feedRequestBody("wörld").endRequestBody();
        assertThat(first.events).containsExactly("data:hello ", "data:wörld", "end:0");
        assertThat(second.events).containsExactly("data:hello ", "data:wörld", "end:0");
    }

    @Test
    void responseBodyObserversAreSeparateFromRequestOnes() {
        TestExchange exchange = TestExchange.get("/");
        Recorder request = new Recorder();
        Recorder response = new Recorder();
        exchange.observeRequestBody(request);
        exchange.observeResponseBody(response);
        exchange.feedResponseBody("payload").endResponseBody();
        assertThat(response.events).containsExactly("data:payload", "end:0");
        assertThat(request.events).isEmpty();
    }

    @Test
    void startNanosIsInThePast() {
        TestExchange exchange = TestExchange.get("/");
        assertThat(exchange.startNanos()).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void clientIpIsThePeerUnlessSet() throws Exception {
        TestExchange exchange = TestExchange.get("/").from(new java.net.InetSocketAddress(java.net.InetAddress.getByName("10.0.0.2"), 4000));
        assertThat(exchange.clientIp()).isEqualTo(java.net.InetAddress.getByName("10.0.0.2"));
        exchange.clientIp(java.net.InetAddress.getByName("203.0.113.9"));
        assertThat(exchange.clientIp()).isEqualTo(java.net.InetAddress.getByName("203.0.113.9"));
        assertThat(exchange.clientAddress().getAddress()).isEqualTo(java.net.InetAddress.getByName("10.0.0.2"));
    }

    @Test
    void aResponseHeadMeansTheRequestChainHasEnded() {
        TestExchange exchange = TestExchange.get("/").respondWith(200);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> exchange.observeRequestBody(new Recorder()))
                .isInstanceOf(IllegalStateException.class);
        exchange.observeResponseBody(new Recorder());
    }

    @Test
    void aHostGivenAsTheRequestArrivedReplacesTheDefaultOne() {
        TestExchange exchange = TestExchange.get("/").header("host", "API.example.com").header("X-A", "1").header("X-A", "2");

        assertThat(exchange.request().headers().all("Host")).containsExactly("API.example.com");
        assertThat(exchange.request().authority()).isEqualTo("api.example.com");
        assertThat(exchange.request().headers().all("X-A")).containsExactly("1", "2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestExchange.get("no-slash"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTargetTheServerWouldRefuseIsKeptAsGivenForTestingAFiltersOwnChecks() {
        for (String refused : new String[]{"/../x", "/a%2Fb?q", "/a%00", "/%zz"}) {
            TestExchange exchange = TestExchange.get(refused);

            assertThat(exchange.request().target()).isEqualTo(refused);
            assertThat(exchange.request().rawTarget()).isEqualTo(refused);
        }
        assertThat(TestExchange.request("OPTIONS", "*").request().target()).isEqualTo("*");
    }
}
