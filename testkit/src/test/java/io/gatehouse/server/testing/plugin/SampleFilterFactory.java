package io.gatehouse.server.testing.plugin;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;

/** Packed into plugin archives by tests: a filter that adds {@code X-Sample} to requests. */
public final class SampleFilterFactory implements ProxyFilterFactory<String> {

    @Override
    public String type() {
        return "sample";
    }

    @Override
    public String parseConfig(PluginConfig config) {
        return config.getString("value", "yes");
    }

    @Override
    public ProxyFilter create(String value, FilterContext context) {
        return exchange -> {
            exchange.request().headers().set("X-Sample", value);
            return FilterResult.proceed();
        };
    }
}
