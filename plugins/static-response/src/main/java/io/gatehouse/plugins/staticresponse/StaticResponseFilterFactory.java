package io.gatehouse.plugins.staticresponse;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The {@code static-response} filter: answers every request it applies to with a configured
 * status, headers and body, without contacting an origin. Scope it with {@code when:}.
 *
 * <pre>
 * - type: static-response
 *   when: { path-prefix: /healthz }
 *   config: { status: 200, body: "ok" }
 * </pre>
 */
@Extension
public final class StaticResponseFilterFactory implements ProxyFilterFactory<Response> {

    private static final Set<String> KEYS = Set.of("status", "body", "content-type", "headers");

    @Override
    public String type() {
        return "static-response";
    }

    @Override
    public Response parseConfig(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        int status = config.getInt("status", 200, 200, 599);
        Response.Builder builder = Response.status(status);
        String body = config.getString("body", "");
        Map<String, String> headers = config.getStringMap("headers");
        boolean typeInHeaders = headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Content-Type"));
        if (typeInHeaders && config.has("content-type")) {
            throw new ConfigException(config.path("content-type"), "given twice: also under headers");
        }
        if (!body.isEmpty() && !typeInHeaders) {
            String contentType = config.getString("content-type", "text/plain; charset=utf-8");
            try {
                builder.header("Content-Type", contentType);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path("content-type"), e.getMessage());
            }
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            try {
                builder.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path("headers") + "." + header.getKey(), e.getMessage());
            }
        }
        if ((status == 204 || status == 304) && !body.isEmpty()) {
            throw new ConfigException(config.path("body"), "a " + status + " response has no body");
        }
        return builder.body(body).build();
    }

    @Override
    public ProxyFilter create(Response response, FilterContext context) {
        CompletionStage<FilterResult> answer = FilterResult.respond(response);
        return new ProxyFilter() {
            @Override
            public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                return answer;
            }

            @Override
            public List<String> explain(Exchange exchange) {
                exchange.setAttribute(Keys.EXPLAINED_ANSWER, response.status());
                return List.of("answers " + response.status() + " itself (static response)");
            }
        };
    }
}
