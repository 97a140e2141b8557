package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.ClientCertificate;
import io.gatehouse.api.internal.Checks;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.Key;
import io.gatehouse.api.Keys;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.TraceContext;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.server.tls.ClientCertificates;
import io.gatehouse.server.config.Forwarding;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.net.URIAuthority;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** The {@link Exchange} the filters see, over the live HttpCore messages. */
final class ProxyExchange implements Exchange {

    private static final AtomicLong IDS = new AtomicLong();
    private static final String ID_PREFIX = Long.toHexString(System.currentTimeMillis() & 0xffffffL) + "-";

    private final long number = IDS.incrementAndGet();
    private String id;
    private final Request request;
    private final InetSocketAddress clientAddress;
    private final InetSocketAddress localAddress;
    private final long startNanos;
    private InetAddress clientIp;
    private Response response;
    private Map<Key<?>, Object> attributes;
    private String route;
    private String cluster;
    private Duration responseTimeout;
    private String originHost;
    private UpstreamSelector selector;
    private final Registrations<BodyObserver> requestObservers =
            new Registrations<>("request body observers must be registered in onRequest");
    private final Registrations<BodyObserver> responseObservers =
            new Registrations<>("response body observers must be registered in onRequest or onResponse");
    private final Registrations<BodyTransformer> requestTransformers =
            new Registrations<>("request body transformers must be installed in onRequest");
    private final Registrations<BodyTransformer> responseTransformers =
            new Registrations<>("response body transformers must be installed in onRequest or onResponse");
    private Optional<TraceContext> trace = Optional.empty();

    /**
     * The exchange of a request head that just arrived.
     *
     * @param head the client→proxy request head
     * @param context HttpCore's context of the exchange (addresses)
     * @param entity the request body's details, null when none
     * @param forwarding the trusted proxies, whose word on the client's address and scheme counts
     * @return the exchange, started now
     */
    static ProxyExchange of(HttpRequest head, HttpContext context, EntityDetails entity, Forwarding forwarding) {
        EndpointDetails endpoint = HttpCoreContext.cast(context).getEndpointDetails();
        InetSocketAddress client = toInet(endpoint == null ? null : endpoint.getRemoteAddress());
        InetSocketAddress local = toInet(endpoint == null ? null : endpoint.getLocalAddress());
        long bodyLength = entity == null ? 0 : entity.isChunked() ? -1 : Math.max(-1, entity.getContentLength());
        String scheme = forwarding.scheme(client.getAddress(), values(head, "X-Forwarded-Proto"), listenerScheme(context));
        ProxyExchange exchange = new ProxyExchange(head, scheme, client, local, System.nanoTime(), bodyLength);
        exchange.resolveClientIp(forwarding);
        if (context.getAttribute(ClientCertificates.CONTEXT_ATTRIBUTE) instanceof ClientCertificate certificate) {
            exchange.setAttribute(Keys.CLIENT_CERTIFICATE, certificate); // mTLS listeners (ListenerExchange)
        }
        return exchange;
    }

    /**
     * @param context HttpCore's context of an exchange
     * @return {@code https} when the request came over TLS, else {@code http}
     */
    static String listenerScheme(HttpContext context) {
        return HttpCoreContext.cast(context).getSSLSession() != null ? "https" : "http";
    }

    private static InetSocketAddress toInet(SocketAddress address) {
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : new InetSocketAddress("0.0.0.0", 0);
    }

    /**
     * @param bodyLength the request body's length: 0 for none, negative when chunked
     */
    ProxyExchange(HttpRequest message, String scheme, InetSocketAddress clientAddress, InetSocketAddress localAddress, long startNanos,
                  long bodyLength) {
        this.request = new Request(message, scheme, bodyLength);
        this.clientAddress = clientAddress;
        this.localAddress = localAddress;
        this.startNanos = startNanos;
    }

    @Override
    public String id() {
        String value = id;
        if (value == null) {
            value = ID_PREFIX + number; // built once: ids go into log arguments on every request
            id = value;
        }
        return value;
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public Optional<ResponseHead> response() {
        return Optional.ofNullable(response);
    }

    /**
     * @param message the response head filters see and edit
     * @param bodyLength its body's framed length, negative when chunked or not known
     * @param localDetail the detail code of a response the proxy made itself, else empty
     */
    void setResponse(HttpResponse message, long bodyLength, Optional<String> localDetail) {
        this.response = new Response(message, bodyLength, localDetail);
    }

    @Override
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetAddress clientIp() {
        return clientIp != null ? clientIp : clientAddress.getAddress();
    }

    /**
     * Resolves {@link #clientIp()} through the trusted proxies, from the forwarding fields as
     * the client sent them: call once, before they are rewritten for the origin.
     */
    private void resolveClientIp(Forwarding forwarding) {
        InetAddress peer = clientAddress.getAddress();
        if (peer != null && forwarding.trusts(peer)) {
            clientIp = forwarding.clientIp(peer, values(request.message, "X-Forwarded-For"), values(request.message, "Forwarded"));
        }
    }

    private static List<String> values(HttpRequest message, String name) {
        Header[] headers = message.getHeaders(name);
        List<String> values = new ArrayList<>(headers.length);
        for (Header header : headers) {
            values.add(header.getValue());
        }
        return values;
    }

    @Override
    public <T> Optional<T> attribute(Key<T> key) {
        return attributes == null ? Optional.empty() : Optional.ofNullable(attributes.get(key)).map(key::cast);
    }

    @Override
    public <T> void setAttribute(Key<T> key, T value) {
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        attributes.put(key, key.cast(value));
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
        requestObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    @Override
    public void observeResponseBody(BodyObserver observer) {
        responseObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    @Override
    public void transformRequestBody(BodyTransformer transformer) {
        requestTransformers.add(Objects.requireNonNull(transformer, "transformer"));
    }

    @Override
    public void transformResponseBody(BodyTransformer transformer) {
        responseTransformers.add(Objects.requireNonNull(transformer, "transformer"));
    }

    /**
     * Ends registration of request body observers (a hook may register from any thread before
     * its stage completes; delivery starts after).
     *
     * @return the observers in registration order, empty when none
     */
    List<BodyObserver> sealRequestObservers() {
        return requestObservers.seal();
    }

    /** @return the response body observers in registration order, empty when none; later registrations fail */
    List<BodyObserver> sealResponseObservers() {
        return responseObservers.seal();
    }

    /**
     * @return the request body transformers in installation order, handed over once (empty for
     *     later calls, and when none); later installations fail
     */
    List<BodyTransformer> sealRequestTransformers() {
        return requestTransformers.sealAndTake();
    }

    /**
     * @return the response body transformers in installation order, handed over once (empty for
     *     later calls, and when none); later installations fail
     */
    List<BodyTransformer> sealResponseTransformers() {
        return responseTransformers.sealAndTake();
    }

    @Override
    public Optional<TraceContext> trace() {
        return trace;
    }

    /**
     * Sets the trace context, once, before any filter runs.
     *
     * @param context the exchange's trace context
     */
    void trace(TraceContext context) {
        trace = Optional.of(context);
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public String toString() {
        return "Exchange[" + id() + " " + request.method() + " " + request.target() + "]";
    }

    /**
     * The request view over the live message. The exchange is made before the admission checks
     * normalise the message's target ({@link RequestAdmission}), so the target as the client
     * sent it is kept here.
     */
    private static final class Request implements RequestHead {
        private final HttpRequest message;
        private final String scheme;
        private final long bodyLength;
        private final String rawTarget;
        private MutableHttpFields fields;

        Request(HttpRequest message, String scheme, long bodyLength) {
            this.message = message;
            this.scheme = scheme;
            this.bodyLength = bodyLength;
            this.rawTarget = message.getPath();
        }

        @Override
        public String rawTarget() {
            return rawTarget;
        }

        @Override
        public OptionalLong bodyLength() {
            return bodyLength < 0 ? OptionalLong.empty() : OptionalLong.of(bodyLength);
        }

        @Override
        public String method() {
            return message.getMethod();
        }

        @Override
        public String target() {
            return message.getPath();
        }

        @Override
        public void setTarget(String target) {
            message.setPath(Checks.originFormTarget(target));
        }

        @Override
        public String scheme() {
            return scheme;
        }

        @Override
        public String authority() {
            URIAuthority authority = message.getAuthority();
            return authority == null ? "" : authority.toString().toLowerCase(Locale.ROOT);
        }

        @Override
        public String protocol() {
            return message.getVersion() == null ? "HTTP/1.1" : message.getVersion().format();
        }

        @Override
        public MutableHttpFields headers() {
            if (fields == null) {
                fields = new MessageFields(message);
            }
            return fields;
        }
    }

    private static final class Response implements ResponseHead {
        private final HttpResponse message;
        private final MutableHttpFields fields;
        private final long bodyLength;
        private final Optional<String> localDetail;

        Response(HttpResponse message, long bodyLength, Optional<String> localDetail) {
            this.message = message;
            this.fields = new MessageFields(message);
            this.bodyLength = bodyLength;
            this.localDetail = localDetail;
        }

        @Override
        public OptionalLong bodyLength() {
            return bodyLength < 0 ? OptionalLong.empty() : OptionalLong.of(bodyLength);
        }

        @Override
        public Optional<String> localDetail() {
            return localDetail;
        }

        @Override
        public int status() {
            return message.getCode();
        }

        @Override
        public void setStatus(int status) {
            message.setCode(Checks.responseStatus(status));
        }

        @Override
        public MutableHttpFields headers() {
            return fields;
        }
    }
}
