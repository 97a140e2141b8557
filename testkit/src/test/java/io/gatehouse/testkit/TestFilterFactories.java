package io.gatehouse.testkit;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** Small filters for the kit's own tests. */
final class TestFilterFactories {

    private TestFilterFactories() {
    }

    /**
     * {@code mark}: appends its label to {@code X-Trail} on request and response; its status counts
     * requests; an unchanged entry keeps its instance (and count) across a reload.
     */
    static final class Mark implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "mark";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return config.getString("label");
        }

        @Override
        public ProxyFilter create(String label, FilterContext context, Optional<ProxyFilter> previous) {
            return previous.orElseGet(() -> create(label, context));
        }

        @Override
        public ProxyFilter create(String label, FilterContext context) {
            AtomicInteger seen = new AtomicInteger();
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    seen.incrementAndGet();
                    exchange.request().headers().add("X-Trail", label);
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    exchange.response().orElseThrow().headers().add("X-Trail", label);
                    return FilterResult.proceed();
                }

                @Override
                public Optional<String> status() {
                    return label.equals("silent") ? Optional.empty() : Optional.of("requests " + seen.get());
                }
            };
        }
    }
}
