package io.gatehouse.plugins.router;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;

import java.util.concurrent.CompletionStage;

/** {@code mark}, for the integration test: adds its label to the response's {@code X-Trail}, showing that it ran. */
final class MarkFilterFactory implements ProxyFilterFactory<String> {

    @Override
    public String type() {
        return "mark";
    }

    @Override
    public String parseConfig(PluginConfig config) {
        return config.getString("label");
    }

    @Override
    public ProxyFilter create(String label, FilterContext context) {
        return new ProxyFilter() {
            @Override
            public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                return FilterResult.proceed();
            }

            @Override
            public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                exchange.response().orElseThrow().headers().add("X-Trail", label);
                return FilterResult.proceed();
            }
        };
    }
}
