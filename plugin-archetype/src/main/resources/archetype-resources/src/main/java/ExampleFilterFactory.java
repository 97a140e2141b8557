package ${package};

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import org.pf4j.Extension;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The example filter: refuses requests that lack a configured header, and adds a header to every
 * response. Enable it in {@code conf/gatehouse.yaml}:
 *
 * <pre>
 * filters:
 *   - type: ${filterType}
 *     config:
 *       required-header: X-Team          # optional
 *       response-header: X-Checked-By    # default X-Example
 *       response-value: ${artifactId}    # default hello
 * </pre>
 */
@Extension
public final class ExampleFilterFactory implements ProxyFilterFactory<ExampleConfig> {

    private static final Set<String> KEYS = Set.of("required-header", "response-header", "response-value");

    @Override
    public String type() {
        return "${filterType}";
    }

    /** Called once at start-up: a bad value stops Gatehouse with a message naming the key. */
    @Override
    public ExampleConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        String responseHeader = config.getString("response-header", "X-Example");
        if (responseHeader.isBlank() || responseHeader.contains(" ")) {
            throw new ConfigException(config.path("response-header"), "must be a header name");
        }
        return new ExampleConfig(config.findString("required-header"), responseHeader,
                config.getString("response-value", "hello"));
    }

    @Override
    public ProxyFilter create(ExampleConfig config, FilterContext context) {
        return new ExampleFilter(config);
    }

    /**
     * One instance serves every exchange on every I/O thread: keep it immutable (or thread-safe),
     * and never block in a hook.
     */
    static final class ExampleFilter implements ProxyFilter {

        private final ExampleConfig config;

        ExampleFilter(ExampleConfig config) {
            this.config = config;
        }

        @Override
        public CompletionStage<FilterResult> onRequest(Exchange exchange) {
            if (config.requiredHeader().isPresent()
                    && exchange.request().headers().first(config.requiredHeader().get()).isEmpty()) {
                return FilterResult.respond(Response.text(400, "Bad Request: missing header " + config.requiredHeader().get()));
            }
            return FilterResult.proceed();
        }

        @Override
        public CompletionStage<FilterResult> onResponse(Exchange exchange) {
            exchange.response().ifPresent(response -> response.headers().set(config.responseHeader(), config.responseValue()));
            return FilterResult.proceed();
        }
    }
}
