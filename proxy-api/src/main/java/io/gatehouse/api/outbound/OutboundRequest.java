package io.gatehouse.api.outbound;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable request for an {@link OutboundClient}: method, absolute URL, header fields, a body
 * of bytes, and the limits of the call.
 *
 * <pre>{@code
 * OutboundRequest request = OutboundRequest.request("POST", "http://10.0.0.9:8080/introspect")
 *         .header("Content-Type", "application/x-www-form-urlencoded")
 *         .body("token=" + token)
 *         .timeout(Duration.ofSeconds(2))       // the whole call; default 10s
 *         .maxResponseBody(64 * 1024)           // default 1 MiB
 *         .build();
 * }</pre>
 *
 * <p>The client frames the request itself and sets {@code Host} from the URL, so the connection
 * and framing fields ({@code Host}, {@code Content-Length}, {@code Transfer-Encoding}, {@code
 * Connection}, {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code
 * Upgrade}, {@code Expect}) are refused.
 *
 * @since 0.2
 */
public final class OutboundRequest {

    /** The default {@link #timeout()}: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The default {@link #maxResponseBody()}: 1 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BODY = 1024 * 1024;
    /** The largest {@link #maxResponseBody()} a request may ask for: 1 GiB. */
    public static final long MAX_RESPONSE_BODY_LIMIT = 1024 * 1024 * 1024;

    private static final Set<String> CLIENT_OWNED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect");

    private final String method;
    private final URI uri;
    private final HttpFields headers;
    private final byte[] body;
    private final Duration timeout;
    private final long maxResponseBody;

    private OutboundRequest(Builder builder) {
        this.method = builder.method;
        this.uri = builder.uri;
        this.headers = builder.headers.toImmutable();
        this.body = builder.body;
        this.timeout = builder.timeout;
        this.maxResponseBody = builder.maxResponseBody;
    }

    /**
     * Starts a {@code GET}.
     *
     * @param url an absolute {@code http} or {@code https} URL, such as {@code http://10.0.0.9:8080/keys?v=2}
     * @return a builder
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host, or has user info or a fragment
     */
    public static Builder get(String url) {
        return request("GET", url);
    }

    /**
     * Starts a request with any method.
     *
     * @param method the method, a token such as {@code POST} (case-sensitive, sent as given)
     * @param url an absolute {@code http} or {@code https} URL
     * @return a builder
     * @throws IllegalArgumentException when the method is not a token, or the URL is not an
     *     absolute http(s) URL with a host, or has user info or a fragment
     */
    public static Builder request(String method, String url) {
        return new Builder(method, parse(url));
    }

    private static URI parse(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("expected an http or https URL, got " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("expected a URL with a host, got " + url);
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("user info and fragments are not sent, got " + url);
        }
        return uri;
    }

    /** @return the method */
    public String method() {
        return method;
    }

    /** @return the absolute URL */
    public URI uri() {
        return uri;
    }

    /** @return the header fields the caller gave, immutable */
    public HttpFields headers() {
        return headers;
    }

    /** @return a copy of the body bytes, empty for none */
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body without copying.
     *
     * @return a read-only buffer over the body
     */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** @return the body length in bytes */
    public int bodyLength() {
        return body.length;
    }

    /**
     * @return the longest the whole call may take, from {@code send} to the last byte of the
     *     response, pool wait and connect included ({@link #DEFAULT_TIMEOUT} unless set)
     */
    public Duration timeout() {
        return timeout;
    }

    /** @return the most response-body bytes read into memory ({@link #DEFAULT_MAX_RESPONSE_BODY} unless set) */
    public long maxResponseBody() {
        return maxResponseBody;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }

    /** Builds an {@link OutboundRequest}. Not thread-safe. */
    public static final class Builder {

        private final String method;
        private final URI uri;
        private final MutableHttpFields headers = MutableHttpFields.create();
        private byte[] body = new byte[0];
        private Duration timeout = DEFAULT_TIMEOUT;
        private long maxResponseBody = DEFAULT_MAX_RESPONSE_BODY;

        private Builder(String method, URI uri) {
            Objects.requireNonNull(method, "method");
            if (!method.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("method must be a token: " + method);
            }
            this.method = method;
            this.uri = uri;
        }

        /**
         * Adds a header field.
         *
         * @param name the name, a token
         * @param value the value, without CR, LF or NUL
         * @return this builder
         * @throws IllegalArgumentException for an invalid field, or one the client sets itself (see the class comment)
         */
        public Builder header(String name, String value) {
            if (CLIENT_OWNED.contains(Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(name + " is set by the client");
            }
            headers.add(name, value);
            return this;
        }

        /**
         * Sets the body bytes (copied).
         *
         * @param bytes the body
         * @return this builder
         */
        public Builder body(byte[] bytes) {
            this.body = Arrays.copyOf(bytes, bytes.length);
            return this;
        }

        /**
         * Sets the body to UTF-8 text.
         *
         * @param text the body
         * @return this builder
         */
        public Builder body(String text) {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * @param wholeCall the longest the whole call may take (see {@link OutboundRequest#timeout()})
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder timeout(Duration wholeCall) {
            Objects.requireNonNull(wholeCall, "wholeCall");
            if (wholeCall.isZero() || wholeCall.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive: " + wholeCall);
            }
            this.timeout = wholeCall;
            return this;
        }

        /**
         * @param bytes the most response-body bytes read into memory, 0 to {@link #MAX_RESPONSE_BODY_LIMIT};
         *     past it the call fails with {@link ResponseTooLargeException}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxResponseBody(long bytes) {
            if (bytes < 0 || bytes > MAX_RESPONSE_BODY_LIMIT) {
                throw new IllegalArgumentException("maxResponseBody must be 0 to " + MAX_RESPONSE_BODY_LIMIT + ": " + bytes);
            }
            this.maxResponseBody = bytes;
            return this;
        }

        /** @return the immutable request */
        public OutboundRequest build() {
            return new OutboundRequest(this);
        }
    }
}
