package io.gatehouse.api.testkit;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Key;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.TraceContext;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.api.http.PathNormalizer;
import io.gatehouse.api.internal.Checks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link Exchange} for unit tests of filters: no sockets, everything visible. It
 * behaves as the server's exchange does (one contract test runs against both): the same
 * argument checks, the authority as the request arrived, attribute type checks, and body
 * observers refused once their chain phase has ended ({@link #endRequestChain},
 * {@link #endResponseChain}).
 *
 * <pre>{@code
 * TestExchange exchange = TestExchange.get("/hello").header("Host", "example.com");
 * }</pre>
 *
 * @since 0.1
 */
public final class TestExchange implements Exchange {

    private static final AtomicLong IDS = new AtomicLong();

    private final String id = "test-" + IDS.incrementAndGet();
    private final TestRequest request;
    private TestResponse response;
    private InetSocketAddress clientAddress = new InetSocketAddress("127.0.0.1", 40000);
    private InetAddress clientIp;
    private final Map<Key<?>, Object> attributes = new HashMap<>();
    private String route;
    private String cluster;
    private Duration responseTimeout;
    private String originHost;
    private UpstreamSelector selector;
    private final List<BodyObserver> requestObservers = new ArrayList<>();
    private final List<BodyObserver> responseObservers = new ArrayList<>();
    private boolean requestChainEnded;
    private boolean responseChainEnded;
    private final List<BodyTransformer> requestTransformers = new ArrayList<>();
    private final List<BodyTransformer> responseTransformers = new ArrayList<>();
    private final BodyFeed requestBody = new BodyFeed("request", this::sealRequestObservers, () -> requestTransformers);
    private final BodyFeed responseBody = new BodyFeed("response", this::sealResponseObservers, () -> responseTransformers);
    private final long startNanos = System.nanoTime();
    private Optional<TraceContext> trace = Optional.empty();

    private TestExchange(String method, String target) {
        this.request = new TestRequest(method, target);
    }

    /**
     * A request with the given method and target, {@code Host: localhost}. As on the server, the
     * target's path is normalised ({@link PathNormalizer}): {@code TestExchange.get("/x/../%61dmin")}
     * has the target {@code /admin} and the raw target {@code /x/../%61dmin}. A target whose path
     * the server refuses before any filter runs ({@code 400}, such as {@code /../x} or
     * {@code /a%2Fb}) is kept as given, so that a filter's own defences can be tested.
     *
     * @param method e.g. {@code POST}
     * @param target an origin-form target, e.g. {@code /a?b=c}, or {@code *}
     * @return the exchange
     * @throws IllegalArgumentException when the target is not in origin form or holds a space,
     *     control or non-ASCII character (the server refuses such a request line)
     */
    public static TestExchange request(String method, String target) {
        TestExchange exchange = new TestExchange(Objects.requireNonNull(method, "method"), Checks.originFormTarget(target));
        exchange.header("Host", "localhost");
        return exchange;
    }

    /**
     * A GET request.
     *
     * @param target e.g. {@code /}
     * @return the exchange
     */
    public static TestExchange get(String target) {
        return request("GET", target);
    }

    /**
     * Adds a request header field, as the request arrived. {@code Host} replaces the default
     * {@code Host: localhost} and sets the request's authority ({@link RequestHead#authority()},
     * lower case), as on the server; a filter's later change of the {@code Host} field through
     * {@code request().headers()} does not change the authority.
     *
     * @param name name
     * @param value value
     * @return this
     */
    public TestExchange header(String name, String value) {
        if (name.equalsIgnoreCase("Host")) {
            request.headers.set(name, value);
            request.authority = value.toLowerCase(Locale.ROOT);
        } else {
            request.headers.add(name, value);
        }
        return this;
    }

    /**
     * Declares the request body's framing, as {@link RequestHead#bodyLength()} reports it (the
     * default is no body).
     *
     * @param length the length, or -1 for a chunked body
     * @return this
     */
    public TestExchange bodyLength(long length) {
        request.bodyLength = length;
        return this;
    }

    /**
     * Sets the client address.
     *
     * @param address the address
     * @return this
     */
    public TestExchange from(InetSocketAddress address) {
        this.clientAddress = address;
        return this;
    }

    /**
     * Sets the client address as resolved through trusted proxies ({@link Exchange#clientIp()});
     * by default it is the address of {@link #from}.
     *
     * @param address the address
     * @return this
     * @since 0.2
     */
    public TestExchange clientIp(InetAddress address) {
        this.clientIp = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Gives the exchange a trace context ({@link Exchange#trace()}), as the server does before
     * any filter runs; by default there is none.
     *
     * @param context the context
     * @return this
     * @since 0.2
     */
    public TestExchange trace(TraceContext context) {
        this.trace = Optional.of(context);
        return this;
    }

    /**
     * Makes a response head present, as if the origin answered. The request chain has then run
     * ({@link #endRequestChain()}).
     *
     * @param status the status
     * @param namesAndValues header names and values
     * @return this
     */
    public TestExchange respondWith(int status, String... namesAndValues) {
        endRequestChain();
        response = new TestResponse(status);
        HttpFields fields = HttpFields.of(namesAndValues);
        fields.forEach(response.headers::add);
        return this;
    }

    /**
     * Ends the request chain: every {@code onRequest} has run, so request body observers can no
     * longer be registered (the server throws {@link IllegalStateException} then, and so does
     * this exchange). Feeding the request body and {@link #respondWith} end it too. Idempotent.
     *
     * @return this
     * @since 0.2
     */
    public TestExchange endRequestChain() {
        requestChainEnded = true;
        return this;
    }

    /**
     * Ends the response chain: every {@code onResponse} has run, so response body observers can
     * no longer be registered. Feeding the response body ends it too. Idempotent.
     *
     * @return this
     * @since 0.2
     */
    public TestExchange endResponseChain() {
        responseChainEnded = true;
        return this;
    }

    /**
     * The request body as the registered observers will see it: feed chunks, trailers, an abort.
     *
     * @return the request body's feed (the same one each time)
     * @since 0.2
     */
    public BodyFeed requestBody() {
        return requestBody;
    }

    /**
     * The response body as the registered observers will see it: feed chunks, trailers, an abort.
     *
     * @return the response body's feed (the same one each time)
     * @since 0.2
     */
    public BodyFeed responseBody() {
        return responseBody;
    }

    /**
     * Feeds bytes to the registered request body observers ({@code requestBody().data(text)}).
     *
     * @param text the chunk, UTF-8
     * @return this
     */
    public TestExchange feedRequestBody(String text) {
        requestBody.data(text);
        return this;
    }

    /**
     * Ends the request body for the observers ({@code requestBody().end()}).
     *
     * @return this
     */
    public TestExchange endRequestBody() {
        requestBody.end();
        return this;
    }

    /**
     * Feeds bytes to the registered response body observers ({@code responseBody().data(text)}).
     *
     * @param text the chunk, UTF-8
     * @return this
     */
    public TestExchange feedResponseBody(String text) {
        responseBody.data(text);
        return this;
    }

    /**
     * Ends the response body for the observers ({@code responseBody().end()}).
     *
     * @return this
     */
    public TestExchange endResponseBody() {
        responseBody.end();
        return this;
    }

    private List<BodyObserver> sealRequestObservers() {
        endRequestChain();
        return requestObservers;
    }

    private List<BodyObserver> sealResponseObservers() {
        endResponseChain();
        return responseObservers;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public Optional<ResponseHead> response() {
        return Optional.ofNullable(response);
    }

    @Override
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public InetAddress clientIp() {
        return clientIp != null ? clientIp : clientAddress.getAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public <T> Optional<T> attribute(Key<T> key) {
        return Optional.ofNullable(attributes.get(key)).map(key::cast);
    }

    @Override
    public <T> void setAttribute(Key<T> key, T value) {
        attributes.put(Objects.requireNonNull(key, "key"), key.cast(value));
    }

    @Override
    public Optional<String> route() {
        return Optional.ofNullable(route);
    }

    @Override
    public void setRoute(String route) {
        this.route = route;
    }

    @Override
    public Optional<String> cluster() {
        return Optional.ofNullable(cluster);
    }

    @Override
    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    @Override
    public Optional<Duration> responseTimeout() {
        return Optional.ofNullable(responseTimeout);
    }

    @Override
    public void setResponseTimeout(Duration timeout) {
        this.responseTimeout = Checks.positive(timeout);
    }

    @Override
    public Optional<String> originHost() {
        return Optional.ofNullable(originHost);
    }

    @Override
    public void setOriginHost(String host) {
        this.originHost = Checks.hostHeader(host);
    }

    @Override
    public void setUpstreamSelector(UpstreamSelector selector) {
        this.selector = selector;
    }

    @Override
    public Optional<UpstreamSelector> upstreamSelector() {
        return Optional.ofNullable(selector);
    }

    @Override
    public void observeRequestBody(BodyObserver observer) {
        Objects.requireNonNull(observer, "observer");
        if (requestChainEnded) {
            throw new IllegalStateException("request body observers must be registered in onRequest");
        }
        requestObservers.add(observer);
    }

    @Override
    public void observeResponseBody(BodyObserver observer) {
        Objects.requireNonNull(observer, "observer");
        if (responseChainEnded) {
            throw new IllegalStateException("response body observers must be registered in onRequest or onResponse");
        }
        responseObservers.add(observer);
    }

    @Override
    public void transformRequestBody(BodyTransformer transformer) {
        Objects.requireNonNull(transformer, "transformer");
        if (requestChainEnded) {
            throw new IllegalStateException("request body transformers must be installed in onRequest");
        }
        requestTransformers.add(transformer);
    }

    @Override
    public void transformResponseBody(BodyTransformer transformer) {
        Objects.requireNonNull(transformer, "transformer");
        if (responseChainEnded) {
            throw new IllegalStateException("response body transformers must be installed in onRequest or onResponse");
        }
        responseTransformers.add(transformer);
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public Optional<TraceContext> trace() {
        return trace;
    }
}
