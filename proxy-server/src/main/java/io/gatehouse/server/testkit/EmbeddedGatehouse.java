package io.gatehouse.server.testkit;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.GatehouseConfig;

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
import java.util.Optional;

/**
 * A real Gatehouse inside the current JVM, for plugin tests and for running a filter under
 * development straight from {@code target/classes}: the filter factories are given as objects
 * (no plugin archive, no PF4J), the configuration as YAML text, and the proxy listens on
 * 127.0.0.1 (an ephemeral port unless told otherwise).
 *
 * <pre>{@code
 * try (EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
 *         .config("filters: [ { type: my-filter, config: { header: X-Team } } ]")
 *         .filters(new MyFilterFactory())
 *         .upstream(origin.url())
 *         .start()) {
 *     HttpResponse<String> response = gatehouse.get("/hello");
 * }
 * }</pre>
 */
public final class EmbeddedGatehouse implements AutoCloseable {

    private final GatehouseServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private EmbeddedGatehouse(GatehouseServer server) {
        this.server = server;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses YAML as the server would (relative paths against the working directory).
     *
     * @param yaml the configuration text
     * @return the validated configuration
     * @throws ConfigException naming the key at fault
     */
    public static GatehouseConfig parse(String yaml) {
        return new ConfigLoader(Path.of("").toAbsolutePath()).parse(yaml, "embedded.yaml");
    }

    /** @return the running server */
    public GatehouseServer server() {
        return server;
    }

    /** @return the proxy's port */
    public int port() {
        return server.port();
    }

    /**
     * @param pathAndQuery such as {@code /a?b=c}
     * @return the URI of that path on the proxy
     */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** @return a JDK HTTP/1.1 client */
    public HttpClient client() {
        return client;
    }

    /**
     * Sends a request and reads the whole body as a string.
     *
     * @param request the request
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
     * @return the response to a GET of it (20 s timeout)
     */
    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build());
    }

    /** Stops the proxy, giving in-flight exchanges two seconds. */
    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
    }

    /** What to start. */
    public static final class Builder {
        private String yaml = "";
        private final List<ProxyFilterFactory<?>> factories = new ArrayList<>();
        private Optional<String> upstream = Optional.empty();
        private int port;

        private Builder() {
        }

        /**
         * @param yaml the configuration, as in {@code conf/gatehouse.yaml}; its {@code server.listen} is replaced
         * @return this
         */
        public Builder config(String yaml) {
            this.yaml = yaml;
            return this;
        }

        /**
         * @param filterFactories factories available to {@code filters:} besides those in {@code plugins.directory}
         * @return this
         */
        public Builder filters(ProxyFilterFactory<?>... filterFactories) {
            factories.addAll(Arrays.asList(filterFactories));
            return this;
        }

        /**
         * @param filterFactories factories available to {@code filters:}
         * @return this
         */
        public Builder filters(List<? extends ProxyFilterFactory<?>> filterFactories) {
            factories.addAll(filterFactories);
            return this;
        }

        /**
         * @param url the fallback origin, overriding {@code server.upstream}
         * @return this
         */
        public Builder upstream(String url) {
            this.upstream = Optional.of(url);
            return this;
        }

        /**
         * @param listenPort the port on 127.0.0.1; 0 (the default) picks a free one
         * @return this
         */
        public Builder port(int listenPort) {
            this.port = listenPort;
            return this;
        }

        /**
         * @return the running proxy
         * @throws ConfigException naming the key at fault
         */
        public EmbeddedGatehouse start() {
            GatehouseConfig config = parse(yaml).withListen(List.of(new InetSocketAddress("127.0.0.1", port)));
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
