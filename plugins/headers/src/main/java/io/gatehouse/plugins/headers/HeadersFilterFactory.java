package io.gatehouse.plugins.headers;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.util.concurrent.CompletionStage;

/**
 * The {@code headers} filter: adds, sets and removes request and response header fields.
 *
 * <pre>
 * - type: headers
 *   config:
 *     request:  { set: { X-Env: prod }, remove: [ X-Debug ] }
 *     response: { add: { Strict-Transport-Security: "max-age=63072000" }, remove: [ Server ] }
 * </pre>
 */
@Extension
public final class HeadersFilterFactory implements ProxyFilterFactory<HeadersConfig> {

    @Override
    public String type() {
        return "headers";
    }

    @Override
    public HeadersConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(java.util.Set.of("request", "response"));
        return new HeadersConfig(HeaderEdits.parse(config.getSection("request")),
                HeaderEdits.parse(config.getSection("response")));
    }

    @Override
    public ProxyFilter create(HeadersConfig config, FilterContext context) {
        return new HeadersFilter(config);
    }

    /** Applies the configured edits; stateless, so trivially thread-safe. */
    static final class HeadersFilter implements ProxyFilter {

        private final HeaderEdits request;
        private final HeaderEdits response;

        HeadersFilter(HeadersConfig config) {
            this.request = config.request();
            this.response = config.response();
        }

        @Override
        public CompletionStage<FilterResult> onRequest(Exchange exchange) {
            if (!request.isEmpty()) {
                request.applyTo(exchange.request().headers());
            }
            return FilterResult.proceed();
        }

        @Override
        public CompletionStage<FilterResult> onResponse(Exchange exchange) {
            if (!response.isEmpty()) {
                exchange.response().ifPresent(head -> response.applyTo(head.headers()));
            }
            return FilterResult.proceed();
        }
    }
}
