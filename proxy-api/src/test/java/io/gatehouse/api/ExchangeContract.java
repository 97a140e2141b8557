package io.gatehouse.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Exchange} does, whoever implements it: the server's exchange and the test
 * kit's {@code TestExchange} both run these tests (proxy-api publishes them in its test-jar), so
 * a filter that passes its unit tests behaves the same on the server.
 *
 * <p>An implementation supplies exchanges as the request arrived, and the chain phases that the
 * engine drives.
 */
public abstract class ExchangeContract {

    /**
     * An exchange of a request that just arrived, without a body.
     *
     * @param method the method
     * @param target an origin-form target
     * @param host the {@code Host} field as the client sent it
     * @param namesAndValues further request header fields
     * @return the exchange, before its request chain
     */
    protected abstract Exchange arrived(String method, String target, String host, String... namesAndValues);

    /**
     * Ends the request chain: every {@code onRequest} has run.
     *
     * @param exchange the exchange
     */
    protected abstract void endRequestChain(Exchange exchange);

    /**
     * A response head arrives; the request chain has ended before, as the engine ends it before
     * the origin is asked or a filter's answer is sent.
     *
     * @param exchange the exchange
     * @param status its status
     */
    protected abstract void respond(Exchange exchange, int status);

    /**
     * Ends the response chain: every {@code onResponse} has run.
     *
     * @param exchange the exchange
     */
    protected abstract void endResponseChain(Exchange exchange);

    private Exchange get(String target) {
        return arrived("GET", target, "shop.example");
    }

    private static final BodyObserver OBSERVER = data -> { };

    // ------------------------------------------------------------------ identity and request head

    @Test
    void idsAreUniqueAndTheStartIsInThePast() {
        Exchange one = get("/");
        Exchange two = get("/");

        assertThat(one.id()).isNotBlank().isNotEqualTo(two.id());
        assertThat(one.startNanos()).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void theRequestHeadIsWhatArrived() {
        Exchange exchange = arrived("POST", "/a/b?x=1&y=2", "shop.example", "X-Tag", "one", "x-tag", "two");
        RequestHead request = exchange.request();

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/a/b?x=1&y=2");
        assertThat(request.path()).isEqualTo("/a/b");
        assertThat(request.query()).hasValue("x=1&y=2");
        assertThat(request.scheme()).isEqualTo("http");
        assertThat(request.protocol()).isEqualTo("HTTP/1.1");
        assertThat(request.headers().all("X-TAG")).containsExactly("one", "two");
        assertThat(request.headers().first("host")).hasValue("shop.example");
        assertThat(request.bodyLength()).hasValue(0);
        assertThat(exchange.response()).isEmpty();
    }

    @Test
    void theTargetArrivesNormalisedAndTheRawTargetStaysReadable() {
        String raw = "/x/./y/../..//%61dmin;p=1/%7e?q=%2e%2E&r=/../";
        Exchange exchange = arrived("GET", raw, "shop.example");
        RequestHead request = exchange.request();

        assertThat(request.target()).isEqualTo("/admin/~?q=%2e%2E&r=/../");
        assertThat(request.path()).isEqualTo("/admin/~");
        assertThat(request.query()).hasValue("q=%2e%2E&r=/../");
        assertThat(request.rawTarget()).isEqualTo(raw);
        request.setTarget("/other/./x");
        assertThat(request.target()).isEqualTo("/other/./x");
        assertThat(request.rawTarget()).isEqualTo(raw);
        assertThat(get("/plain?x=1").request().rawTarget()).isEqualTo("/plain?x=1");
    }

    @Test
    void theHeadersAreALiveView() {
        Exchange exchange = get("/");

        exchange.request().headers().set("X-Added", "1");
        exchange.request().headers().remove("Host");

        assertThat(exchange.request().headers().first("x-added")).hasValue("1");
        assertThat(exchange.request().headers().contains("Host")).isFalse();
    }

    @Test
    void theAuthorityIsTheRequestsInLowerCaseAndLaterHostEditsDoNotChangeIt() {
        Exchange exchange = arrived("GET", "/", "Shop.EXAMPLE:8443");

        assertThat(exchange.request().authority()).isEqualTo("shop.example:8443");
        assertThat(exchange.request().host()).isEqualTo("shop.example");
        exchange.request().headers().set("Host", "other.example");
        assertThat(exchange.request().authority()).isEqualTo("shop.example:8443");
    }

    // ------------------------------------------------------------------ targets and statuses

    @ParameterizedTest
    @ValueSource(strings = {"/new", "/new?q=1", "/%2e%2e/x", "//double", "*"})
    void anOriginFormTargetIsTaken(String target) {
        Exchange exchange = get("/old");

        exchange.request().setTarget(target);

        assertThat(exchange.request().target()).isEqualTo(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "relative", "http://abs.example/x", "/a b", "/a\tb", "/a\rb", "/a\u007fb", "/ü"})
    void anyOtherTargetIsRefusedAndTheOldOneStays(String target) {
        Exchange exchange = get("/old");

        assertThatThrownBy(() -> exchange.request().setTarget(target)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange.request().setTarget(null)).isInstanceOf(NullPointerException.class);
        assertThat(exchange.request().target()).isEqualTo("/old");
    }

    @Test
    void theResponseHeadIsThereOnceItArrivedAndItsStatusStaysWithin200To599() {
        Exchange exchange = get("/");
        respond(exchange, 502);
        ResponseHead response = exchange.response().orElseThrow();

        assertThat(response.status()).isEqualTo(502);
        response.setStatus(200);
        response.setStatus(599);
        assertThatThrownBy(() -> response.setStatus(199)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> response.setStatus(600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> response.setStatus(101)).isInstanceOf(IllegalArgumentException.class);
        assertThat(response.status()).isEqualTo(599);
        response.headers().set("X-Served", "yes");
        assertThat(exchange.response().orElseThrow().headers().first("x-served")).hasValue("yes");
    }

    // ------------------------------------------------------------------ attributes and routing

    @Test
    void attributesAreTypedAndKeyedByIdentity() {
        Key<String> consumer = Key.of("consumer", String.class);
        Key<String> lookalike = Key.of("consumer", String.class);
        Exchange exchange = get("/");

        assertThat(exchange.attribute(consumer)).isEmpty();
        exchange.setAttribute(consumer, "alice");
        exchange.setAttribute(consumer, "bob");

        assertThat(exchange.attribute(consumer)).hasValue("bob");
        assertThat(exchange.attribute(lookalike)).isEmpty();
        assertThat(exchange.attribute(Keys.CONSUMER)).isEmpty();
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void anAttributeOfTheWrongTypeIsRefusedWhenSet() {
        Key raw = Key.of("count", Integer.class);
        Exchange exchange = get("/");

        assertThatThrownBy(() -> exchange.setAttribute(raw, "not a number")).isInstanceOf(ClassCastException.class);
        assertThat(exchange.attribute((Key<Integer>) raw)).isEmpty();
    }

    @Test
    void routeClusterAndUpstreamChoice() {
        Exchange exchange = get("/");
        assertThat(exchange.route()).isEmpty();
        assertThat(exchange.cluster()).isEmpty();
        assertThat(exchange.upstreamSelector()).isEmpty();

        exchange.setRoute("orders");
        exchange.setCluster("blue");
        Upstream upstream = Upstream.parse("http://10.0.0.1:8080");
        exchange.setUpstream(upstream);

        assertThat(exchange.route()).hasValue("orders");
        assertThat(exchange.cluster()).hasValue("blue");
        assertThat(exchange.upstreamSelector().orElseThrow().select(exchange, 1)).hasValue(upstream);
        UpstreamSelector none = (e, attempt) -> Optional.empty();
        exchange.setUpstreamSelector(none);
        assertThat(exchange.upstreamSelector()).containsSame(none);
    }

    @Test
    void aResponseTimeoutMustBePositive() {
        Exchange exchange = get("/");
        assertThat(exchange.responseTimeout()).isEmpty();

        exchange.setResponseTimeout(Duration.ofMillis(300));

        assertThat(exchange.responseTimeout()).hasValue(Duration.ofMillis(300));
        assertThatThrownBy(() -> exchange.setResponseTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange.setResponseTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange.setResponseTimeout(null)).isInstanceOf(NullPointerException.class);
        assertThat(exchange.responseTimeout()).hasValue(Duration.ofMillis(300));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "a?b", "a#b", "user@a", "a\\b", "ä.example"})
    void anOriginHostMustBeAHost(String host) {
        Exchange exchange = get("/");
        exchange.setOriginHost("api.internal:8443");

        assertThatThrownBy(() -> exchange.setOriginHost(host)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange.setOriginHost(null)).isInstanceOf(NullPointerException.class);
        assertThat(exchange.originHost()).hasValue("api.internal:8443");
    }

    // ------------------------------------------------------------------ addresses

    @Test
    void theAddressesAreThereAndTheClientIpIsThePeersWithoutTrustedProxies() {
        Exchange exchange = arrived("GET", "/", "shop.example", "X-Forwarded-For", "203.0.113.9");

        assertThat(exchange.clientAddress()).isNotNull();
        assertThat(exchange.localAddress()).isNotNull();
        assertThat(exchange.clientIp()).isEqualTo(exchange.clientAddress().getAddress());
    }

    // ------------------------------------------------------------------ body observers

    @Test
    void observersAreRegisteredInTheirChainPhaseOnly() {
        Exchange exchange = get("/");
        exchange.observeRequestBody(OBSERVER);
        exchange.observeResponseBody(OBSERVER);

        endRequestChain(exchange);
        assertThatThrownBy(() -> exchange.observeRequestBody(OBSERVER)).isInstanceOf(IllegalStateException.class)
                .hasMessage("request body observers must be registered in onRequest");
        exchange.observeResponseBody(OBSERVER);

        respond(exchange, 200);
        exchange.observeResponseBody(OBSERVER);
        endResponseChain(exchange);
        assertThatThrownBy(() -> exchange.observeResponseBody(OBSERVER)).isInstanceOf(IllegalStateException.class)
                .hasMessage("response body observers must be registered in onRequest or onResponse");
    }

    @Test
    void nullObserversAreRefused() {
        Exchange exchange = get("/");

        assertThatThrownBy(() -> exchange.observeRequestBody(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> exchange.observeResponseBody(null)).isInstanceOf(NullPointerException.class);
    }
}
