package io.gatehouse.server.testing.swap;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Packed into plugin archives by the swap test, one archive per version: a filter that answers
 * the version of its archive ({@value #RESOURCE} in the archive) in {@code X-Plugin-Version}.
 */
public final class VersionFilterFactory implements ProxyFilterFactory<String> {

    /** The resource of the archive that holds its version. */
    public static final String RESOURCE = "swap-version.txt";

    @Override
    public String type() {
        return "version-header";
    }

    @Override
    public String parseConfig(PluginConfig config) {
        return "";
    }

    @Override
    public ProxyFilter create(String config, FilterContext context) {
        String version;
        try (InputStream in = VersionFilterFactory.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            version = in == null ? "none" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProxyFilter() {
            @Override
            public CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange exchange) {
                return FilterResult.proceed();
            }

            @Override
            public CompletionStage<FilterResult> onResponse(io.gatehouse.api.Exchange exchange) {
                exchange.response().ifPresent(head -> head.headers().set("X-Plugin-Version", version));
                return FilterResult.proceed();
            }
        };
    }
}
