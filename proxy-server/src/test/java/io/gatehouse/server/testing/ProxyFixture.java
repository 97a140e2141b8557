package io.gatehouse.server.testing;

import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.GatehouseConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A real Gatehouse on an ephemeral loopback port, configured from YAML text, with filter
 * factories given directly (no plugin archives needed).
 */
public final class ProxyFixture implements AutoCloseable {

    private final GatehouseServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ProxyFixture(GatehouseServer server) {
        this.server = server;
    }

    /**
     * @param yaml configuration; {@code server.listen} is forced to {@code 127.0.0.1:0}
     * @param factories filter factories available to {@code filters:}
     * @return the running proxy
     */
    public static ProxyFixture start(String yaml, Collection<? extends ProxyFilterFactory<?>> factories) {
        GatehouseConfig config = parse(yaml);
        return new ProxyFixture(GatehouseServer.start(config, factories));
    }

    /**
     * @param upstream the fallback upstream URL
     * @return a proxy with no filters in front of {@code upstream}
     */
    public static ProxyFixture plain(String upstream) {
        return start("server:\n  upstream: " + upstream + "\n", List.of());
    }

    /**
     * Parses YAML as the server would, with the listener moved to an ephemeral port.
     *
     * @param yaml the text
     * @return the config
     */
    public static GatehouseConfig parse(String yaml) {
        GatehouseConfig config = new ConfigLoader(Path.of("target")).parse(yaml, "test.yaml");
        return config.withListen(List.of(new java.net.InetSocketAddress("127.0.0.1", 0)));
    }

    /** @return the server */
    public GatehouseServer server() {
        return server;
    }

    /** @return the proxy port */
    public int port() {
        return server.port();
    }

    /**
     * @param path a path such as {@code /a?b=c}
     * @return the URI of the path on the proxy
     */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** @return a JDK HTTP/1.1 client */
    public HttpClient client() {
        return client;
    }

    /**
     * Sends a request and reads the body as a string.
     *
     * @param request the request
     * @return the response
     */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * GET a path.
     *
     * @param path the path
     * @return the response
     */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build());
    }

    /**
     * A raw socket connection to the proxy, for malformed requests.
     *
     * @return the connection
     */
    public RawConnection raw() {
        return RawConnection.open(port());
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
    }
}
