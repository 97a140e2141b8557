package io.gatehouse.testkit;

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
import java.util.Objects;
import java.util.Optional;

/**
 * A JUnit 5 extension that runs a real Gatehouse, with the given filter factories and config, in
 * front of a {@link TestOrigin}, both on ephemeral loopback ports. On a {@code static} field the
 * pair serves the whole test class; on an instance field, each test gets a fresh pair. Both are
 * closed after use.
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
 * <p>The origin is the proxy's {@code server.upstream}; in the config, {@code ${origin}} stands
 * for its URL (for routes, say).
 *
 * @since 0.2
 */
public final class GatehouseExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final List<ProxyFilterFactory<?>> factories = new ArrayList<>();
    private String yaml = "";
    private Optional<TestOrigin> origin = Optional.empty();
    private Optional<EmbeddedGatehouse> gatehouse = Optional.empty();
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
        Arrays.stream(filterFactories).forEach(factory -> factories.add(Objects.requireNonNull(factory, "factory")));
        return this;
    }

    /**
     * @param configYaml the configuration, as in {@code conf/gatehouse.yaml}; {@code ${origin}} stands for the origin's URL
     * @return this
     */
    public GatehouseExtension config(String configYaml) {
        this.yaml = Objects.requireNonNull(configYaml, "configYaml");
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
        TestOrigin started = TestOrigin.start();
        try {
            gatehouse = Optional.of(EmbeddedGatehouse.builder()
                    .config(yaml.replace("${origin}", started.url()))
                    .filters(factories)
                    .upstream(started)
                    .start());
            origin = Optional.of(started);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private void stop() {
        gatehouse.ifPresent(EmbeddedGatehouse::close);
        gatehouse = Optional.empty();
        origin.ifPresent(TestOrigin::close);
        origin = Optional.empty();
    }

    /**
     * @return the running proxy
     * @throws IllegalStateException outside a test of a class that registered this extension
     */
    public EmbeddedGatehouse gatehouse() {
        return gatehouse.orElseThrow(GatehouseExtension::notRunning);
    }

    /**
     * @return the origin behind the proxy
     * @throws IllegalStateException outside a test of a class that registered this extension
     */
    public TestOrigin origin() {
        return origin.orElseThrow(GatehouseExtension::notRunning);
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

    /** @return a new raw socket connection to the proxy, for malformed input */
    public RawConnection raw() {
        return gatehouse().raw();
    }

    /**
     * @param filterName a filter instance's name, e.g. {@code my-filter#0}
     * @return what it reports about itself now, or empty
     */
    public Optional<String> status(String filterName) {
        return gatehouse().status(filterName);
    }

    private static IllegalStateException notRunning() {
        return new IllegalStateException("Gatehouse is not running: register the extension with @RegisterExtension");
    }
}
