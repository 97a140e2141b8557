package io.gatehouse.server.testing;

import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.testkit.EmbeddedGatehouse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.List;

/**
 * The project's own tests' view of an {@link EmbeddedGatehouse}: a real Gatehouse on an
 * ephemeral loopback port, configured from YAML text, with filter factories given directly, plus
 * raw socket access for malformed requests.
 */
public final class ProxyFixture implements AutoCloseable {

    private final EmbeddedGatehouse gatehouse;

    private ProxyFixture(EmbeddedGatehouse gatehouse) {
        this.gatehouse = gatehouse;
    }

    /**
     * @param yaml configuration; {@code server.listen} is forced to {@code 127.0.0.1:0}
     * @param factories filter factories available to {@code filters:}
     * @return the running proxy
     */
    public static ProxyFixture start(String yaml, Collection<? extends ProxyFilterFactory<?>> factories) {
        return new ProxyFixture(EmbeddedGatehouse.builder().config(yaml).filters(List.copyOf(factories)).start());
    }

    /**
     * @param upstream the fallback upstream URL
     * @return a proxy with no filters in front of {@code upstream}
     */
    public static ProxyFixture plain(String upstream) {
        return new ProxyFixture(EmbeddedGatehouse.builder().upstream(upstream).start());
    }

    /**
     * Parses YAML as the server would.
     *
     * @param yaml the text
     * @return the config
     */
    public static GatehouseConfig parse(String yaml) {
        return EmbeddedGatehouse.parse(yaml);
    }

    /** @return the server */
    public GatehouseServer server() {
        return gatehouse.server();
    }

    /** @return the proxy port */
    public int port() {
        return gatehouse.port();
    }

    /**
     * @param path a path such as {@code /a?b=c}
     * @return the URI of the path on the proxy
     */
    public URI uri(String path) {
        return gatehouse.uri(path);
    }

    /** @return a JDK HTTP/1.1 client */
    public HttpClient client() {
        return gatehouse.client();
    }

    /**
     * Sends a request and reads the body as a string.
     *
     * @param request the request
     * @return the response
     */
    public HttpResponse<String> send(HttpRequest request) {
        return gatehouse.send(request);
    }

    /**
     * GET a path.
     *
     * @param path the path
     * @return the response
     */
    public HttpResponse<String> get(String path) {
        return gatehouse.get(path);
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
        gatehouse.close();
    }
}
