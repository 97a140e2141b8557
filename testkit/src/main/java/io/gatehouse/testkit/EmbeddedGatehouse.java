package io.gatehouse.testkit;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigDocument;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.reload.ReloadResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Gatehouse inside the current JVM, for integration tests and for running a filter
 * under development straight from {@code target/classes}: the configuration is YAML text as in
 * {@code conf/gatehouse.yaml}, filter factories can be given as objects (no plugin archive, no
 * PF4J), and the proxy listens on 127.0.0.1, on an ephemeral port unless told otherwise.
 * Plugin archives in {@code plugins.directory} load as they would in production. To test over
 * TLS or HTTP/2, or with several listeners, keep the configuration's own {@code server.listen}
 * ({@link Builder#listenersAsConfigured()}).
 *
 * <pre>{@code
 * try (TestOrigin origin = TestOrigin.start();
 *      EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
 *              .config("filters: [ { type: my-filter, config: { header: X-Team } } ]")
 *              .filters(new MyFilterFactory())
 *              .upstream(origin)
 *              .start()) {
 *     HttpResponse<String> response = gatehouse.get("/hello");
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class EmbeddedGatehouse implements AutoCloseable {

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final GatehouseServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private EmbeddedGatehouse(GatehouseServer server) {
        this.server = server;
    }

    /** @return a builder: empty configuration, no filter factories, ephemeral port */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the proxy's port on 127.0.0.1 (the first listener's, with several) */
    public int port() {
        return server.port();
    }

    /**
     * @return every listener's bound address, in the order of {@code server.listen} (ephemeral
     *     ports resolved)
     * @since 0.2
     */
    public List<InetSocketAddress> addresses() {
        return server.addresses();
    }

    /**
     * @param pathAndQuery such as {@code /a?b=c}
     * @return the URI of that path on the proxy's first listener: {@code https} when it has TLS
     */
    public URI uri(String pathAndQuery) {
        String scheme = server.config().listen().get(0).tls().isPresent() ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + port() + pathAndQuery);
    }

    /** @return the admin listener's address, when the configuration has {@code admin.listen} */
    public Optional<InetSocketAddress> adminAddress() {
        return server.adminAddress();
    }

    /**
     * @param pathAndQuery such as {@code /status}
     * @return the URI of that path on the admin listener
     * @throws IllegalStateException when the configuration has no {@code admin.listen}
     */
    public URI adminUri(String pathAndQuery) {
        InetSocketAddress admin = adminAddress().orElseThrow(() ->
                new IllegalStateException("no admin listener: add admin: { listen: 127.0.0.1:0 } to the config"));
        return URI.create("http://127.0.0.1:" + admin.getPort() + pathAndQuery);
    }

    /**
     * What a filter instance reports about itself now, as the admin listener's {@code /status}
     * shows it (no admin listener needed).
     *
     * @param filterName the instance's name: {@code filters[].name}, or its type and index, e.g. {@code load-balancer#1}
     * @return the status text, or empty when the filter reports none
     * @throws IllegalArgumentException when no filter instance has that name
     */
    public Optional<String> status(String filterName) {
        return server.filterStatus(filterName);
    }

    /**
     * @return a JDK HTTP/1.1 client, shared by this proxy's helpers; it trusts the runtime's CAs
     *     only, so for a TLS listener with a test certificate build a client with your own
     *     {@code SSLContext}
     */
    public HttpClient client() {
        return client;
    }

    /**
     * Sends a request and reads the whole body as a string.
     *
     * @param request the request (see {@link #uri})
     * @return the response
     */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param pathAndQuery such as {@code /a?b=c}
     * @return the response to a GET of it (20 second timeout)
     */
    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(REQUEST_TIMEOUT).build());
    }

    /** @return a new raw socket connection to the proxy, for malformed input */
    public RawConnection raw() {
        return RawConnection.open(port());
    }

    /**
     * Applies another configuration as a reload does ({@code SIGHUP}, {@code POST /reload}):
     * validated completely, the new chain built aside and swapped in; exchanges in flight finish on
     * the chain they started with; entries left unchanged are offered their running instance
     * ({@link ProxyFilterFactory#create(Object, io.gatehouse.api.FilterContext, java.util.Optional)}).
     * The proxy keeps its port and the upstream given to the builder.
     *
     * @param configYaml the whole configuration, as for {@link Builder#config(String)}
     * @return the names of the filter instances carried over, in chain order
     * @throws ConfigException naming the key at fault when the configuration is rejected; the
     *     running one then stays
     * @since 0.2
     */
    public List<String> reload(String configYaml) {
        Objects.requireNonNull(configYaml, "configYaml");
        ConfigDocument read = new ConfigLoader(Path.of("").toAbsolutePath()).parseDocument(configYaml, "embedded.yaml");
        GatehouseConfig config = read.config().withListeners(server.config().listen());
        if (server.config().upstream().isPresent()) {
            config = config.withUpstream(server.config().upstream().get());
        }
        ReloadResult result = server.reload(new ConfigDocument(config, read.tree()), "embedded");
        if (!result.applied()) {
            String error = result.error().orElse("rejected");
            int colon = error.indexOf(": ");
            throw colon > 0 ? new ConfigException(error.substring(0, colon), error.substring(colon + 2))
                    : new ConfigException("embedded.yaml", error);
        }
        return result.carriedOver();
    }

    /**
     * Stops accepting, lets in-flight exchanges finish for up to {@code grace}, then stops.
     * Idempotent.
     *
     * @param grace the longest wait for in-flight exchanges
     * @return whether every exchange finished within the grace period
     */
    public boolean stop(Duration grace) {
        return server.stop(Objects.requireNonNull(grace, "grace"));
    }

    /** Stops the proxy, giving in-flight exchanges two seconds. */
    @Override
    public void close() {
        stop(CLOSE_GRACE);
    }

    @Override
    public String toString() {
        return "EmbeddedGatehouse[http://127.0.0.1:" + port() + "]";
    }

    /**
     * What to start.
     *
     * @since 0.2
     */
    public static final class Builder {
        private String yaml = "";
        private final List<ProxyFilterFactory<?>> factories = new ArrayList<>();
        private Optional<String> upstream = Optional.empty();
        private int port;
        private boolean listenersAsConfigured;

        private Builder() {
        }

        /**
         * @param configYaml the configuration, as in {@code conf/gatehouse.yaml}; its
         *     {@code server.listen} is replaced by 127.0.0.1 and {@link #port} (unless {@link
         *     #listenersAsConfigured()}), relative paths
         *     resolve against the working directory
         * @return this
         */
        public Builder config(String configYaml) {
            this.yaml = Objects.requireNonNull(configYaml, "configYaml");
            return this;
        }

        /**
         * @param filterFactories factories available to {@code filters:}, besides those of the plugins directory
         * @return this
         */
        public Builder filters(ProxyFilterFactory<?>... filterFactories) {
            return filters(Arrays.asList(filterFactories));
        }

        /**
         * @param filterFactories factories available to {@code filters:}, besides those of the plugins directory
         * @return this
         */
        public Builder filters(List<? extends ProxyFilterFactory<?>> filterFactories) {
            filterFactories.forEach(factory -> factories.add(Objects.requireNonNull(factory, "factory")));
            return this;
        }

        /**
         * @param url the fallback origin, overriding {@code server.upstream}, e.g. {@code http://127.0.0.1:9000}
         * @return this
         */
        public Builder upstream(String url) {
            this.upstream = Optional.of(url);
            return this;
        }

        /**
         * @param origin the fallback origin, overriding {@code server.upstream}
         * @return this
         */
        public Builder upstream(TestOrigin origin) {
            return upstream(origin.url());
        }

        /**
         * @param listenPort the port on 127.0.0.1; 0 (the default) picks a free one
         * @return this
         */
        public Builder port(int listenPort) {
            if (listenPort < 0 || listenPort > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535: " + listenPort);
            }
            this.port = listenPort;
            return this;
        }

        /**
         * Keeps the configuration's {@code server.listen} instead of replacing it with one plain
         * listener on 127.0.0.1: for TLS ({@code tls:}), HTTP/2 ({@code http2:}) or several
         * listeners. Use {@code 127.0.0.1:0} addresses there for free ports; {@link
         * EmbeddedGatehouse#addresses()} tells which were bound.
         *
         * @return this
         * @since 0.2
         */
        public Builder listenersAsConfigured() {
            this.listenersAsConfigured = true;
            return this;
        }

        /**
         * Starts the proxy: plugins loaded, chain built, listeners bound.
         *
         * @return the running proxy
         * @throws ConfigException naming the key at fault
         */
        public EmbeddedGatehouse start() {
            if (listenersAsConfigured && port != 0) {
                throw new IllegalStateException("port(" + port + ") and listenersAsConfigured() exclude each other: "
                        + "put the port into server.listen");
            }
            GatehouseConfig config = new ConfigLoader(Path.of("").toAbsolutePath()).parse(yaml, "embedded.yaml");
            if (!listenersAsConfigured) {
                config = config.withListen(List.of(new InetSocketAddress("127.0.0.1", port)));
            }
            if (upstream.isPresent()) {
                try {
                    config = config.withUpstream(Upstream.parse(upstream.get()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("upstream", e.getMessage());
                }
            }
            return new EmbeddedGatehouse(GatehouseServer.start(config, factories));
        }
    }
}
