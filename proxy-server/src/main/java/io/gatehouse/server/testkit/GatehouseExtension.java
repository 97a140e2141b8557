package io.gatehouse.server.testkit;

import io.gatehouse.api.ProxyFilterFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JUnit 5 extension that runs a real Gatehouse, with the given filter factories and config, in
 * front of a {@link SimpleOrigin}, on ephemeral loopback ports. On a {@code static} field the
 * pair serves the whole test class; on an instance field, each test gets a fresh pair.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatehouseExtension GATEHOUSE = GatehouseExtension.create()
 *         .filters(new MyFilterFactory())
 *         .config("filters: [ { type: my-filter, config: { header: X-Team } } ]");
 *
 * @Test
 * void addsTheHeader() {
 *     HttpResponse<String> response = GATEHOUSE.get("/hello");
 *     assertEquals("origin saw GET /hello", response.body());
 *     assertEquals("platform", GATEHOUSE.origin().lastRequest().header("X-Team").orElseThrow());
 * }
 * }</pre>
 *
 * <p>The origin is the proxy's {@code server.upstream}; in the config, {@code ${origin}} stands for
 * its URL (for routes, say).
 */
public final class GatehouseExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final List<ProxyFilterFactory<?>> factories = new ArrayList<>();
    private String yaml = "";
    private SimpleOrigin origin;
    private EmbeddedGatehouse gatehouse;
    private boolean perClass;

    private GatehouseExtension() {
    }

    /** @return an extension with no filters and an empty config, to refine with {@link #filters} and {@link #config} */
    public static GatehouseExtension create() {
        return new GatehouseExtension();
    }

    /**
     * @param filterFactories the factories under test, available to {@code filters:}
     * @return this
     */
    public GatehouseExtension filters(ProxyFilterFactory<?>... filterFactories) {
        factories.addAll(Arrays.asList(filterFactories));
        return this;
    }

    /**
     * @param configYaml the configuration, as in {@code conf/gatehouse.yaml}
     * @return this
     */
    public GatehouseExtension config(String configYaml) {
        this.yaml = configYaml;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() {
        origin = SimpleOrigin.start();
        try {
            gatehouse = EmbeddedGatehouse.builder()
                    .config(yaml.replace("${origin}", origin.url()))
                    .filters(factories)
                    .upstream(origin.url())
                    .start();
        } catch (RuntimeException e) {
            origin.close();
            throw e;
        }
    }

    private void stop() {
        if (gatehouse != null) {
            gatehouse.close();
            gatehouse = null;
        }
        if (origin != null) {
            origin.close();
            origin = null;
        }
    }

    /** @return the running proxy */
    public EmbeddedGatehouse gatehouse() {
        return running(gatehouse);
    }

    /** @return the origin behind the proxy */
    public SimpleOrigin origin() {
        return running(origin);
    }

    /**
     * @param pathAndQuery such as {@code /a?b=c}
     * @return the URI of that path on the proxy
     */
    public URI uri(String pathAndQuery) {
        return gatehouse().uri(pathAndQuery);
    }

    /**
     * @param pathAndQuery such as {@code /a?b=c}
     * @return the response to a GET of it through the proxy
     */
    public HttpResponse<String> get(String pathAndQuery) {
        return gatehouse().get(pathAndQuery);
    }

    /**
     * @param request a request to the proxy (see {@link #uri})
     * @return the response
     */
    public HttpResponse<String> send(HttpRequest request) {
        return gatehouse().send(request);
    }

    private static <T> T running(T part) {
        if (part == null) {
            throw new IllegalStateException("Gatehouse is not running: register the extension with @RegisterExtension");
        }
        return part;
    }
}
