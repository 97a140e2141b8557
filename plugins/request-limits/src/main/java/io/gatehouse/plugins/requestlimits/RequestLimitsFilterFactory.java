package io.gatehouse.plugins.requestlimits;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code request-limits} filter: per-route limits stricter than the server's, checked on the
 * request head before anything is forwarded: the methods allowed (405 with {@code Allow}), headers
 * that must be present (400 naming the header) and the largest body (413 by {@code
 * Content-Length}; a chunked body 411, or forwarded with {@code chunked: allow}).
 *
 * <pre>
 * - type: request-limits
 *   when: { route: uploads }
 *   config: { max-body: 10MiB, methods: [ POST, PUT ], required-headers: [ X-Tenant ] }
 * </pre>
 */
@Extension
public final class RequestLimitsFilterFactory implements ProxyFilterFactory<RequestLimitsConfig> {

    private static final Set<String> KEYS = Set.of("max-body", "chunked", "methods", "required-headers");

    @Override
    public String type() {
        return "request-limits";
    }

    @Override
    public RequestLimitsConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        OptionalLong maxBody = config.has("max-body")
                ? OptionalLong.of(config.getSize("max-body", 0, 0, Long.MAX_VALUE)) : OptionalLong.empty();
        if (config.has("chunked") && maxBody.isEmpty()) {
            throw new ConfigException(config.path("chunked"), "only means something with max-body");
        }
        ChunkedBodies chunked = config.getEnum("chunked", ChunkedBodies.class, ChunkedBodies.REFUSE);

        Optional<Set<String>> methods = Optional.empty();
        String allow = "";
        if (config.has("methods")) {
            Set<String> listed = new LinkedHashSet<>(names(config, "methods"));
            if (listed.isEmpty()) {
                throw new ConfigException(config.path("methods"), "list at least one method");
            }
            allow = String.join(", ", listed);
            if (listed.contains("GET")) {
                listed.add("HEAD"); // as nginx's limit_except: allowing GET allows HEAD
            }
            methods = Optional.of(listed);
        }
        List<String> required = names(config, "required-headers");
        if (maxBody.isEmpty() && methods.isEmpty() && required.isEmpty()) {
            throw new ConfigException(config.path("max-body"), "give at least one of max-body, methods, required-headers");
        }
        return new RequestLimitsConfig(maxBody, chunked, methods, allow, required);
    }

    private static List<String> names(PluginConfig config, String key) {
        List<String> names = new ArrayList<>();
        List<String> values = config.getStringList(key);
        for (int i = 0; i < values.size(); i++) {
            String name = values.get(i).strip();
            if (!isToken(name)) {
                throw new ConfigException(config.path(key) + "[" + i + "]", "not a token (RFC 9110): \"" + name + "\"");
            }
            names.add(name);
        }
        return names;
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ProxyFilter create(RequestLimitsConfig config, FilterContext context) {
        return new RequestLimitsFilter(config, context);
    }
}
