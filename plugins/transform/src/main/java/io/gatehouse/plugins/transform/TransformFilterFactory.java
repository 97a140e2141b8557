package io.gatehouse.plugins.transform;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code transform} filter: templated header edits on both sides, path and query rewrites,
 * and JSON field and regex edits of bodies up to a cap.
 *
 * <pre>
 * - type: transform
 *   config:
 *     request: { headers: { set: { X-Client-IP: "${client_ip}" } }, path: { regex: "/v1/(.*)", replacement: "/api/$1" } }
 *     response: { json: { remove: [internal] } }
 * </pre>
 */
@Extension
public final class TransformFilterFactory implements ProxyFilterFactory<TransformConfig> {

    static final long DEFAULT_MAX_BODY = 1024 * 1024;

    @Override
    public String type() {
        return "transform";
    }

    @Override
    public TransformConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(Set.of("request", "response"));
        PluginConfig request = config.getSection("request");
        request.requireKnownKeys(Set.of("headers", "path", "query", "json", "replace"));
        PluginConfig response = config.getSection("response");
        response.requireKnownKeys(Set.of("headers", "json", "replace"));
        Optional<PathRewrite> path = Optional.empty();
        if (request.has("path")) {
            PluginConfig rewrite = request.getSection("path");
            rewrite.requireKnownKeys(Set.of("regex", "replacement"));
            path = Optional.of(new PathRewrite(pattern(rewrite, "regex"), rewrite.getString("replacement")));
        }
        QueryEdits query = QueryEdits.NONE;
        if (request.has("query")) {
            PluginConfig section = request.getSection("query");
            section.requireKnownKeys(Set.of("set", "remove"));
            query = new QueryEdits(section.getStringList("remove"), templates(section, "set"));
        }
        return new TransformConfig(side(request), path, query, side(response));
    }

    private static Side side(PluginConfig side) {
        HeaderEdits headers = HeaderEdits.NONE;
        if (side.has("headers")) {
            PluginConfig section = side.getSection("headers");
            section.requireKnownKeys(Set.of("set", "add", "remove"));
            headers = new HeaderEdits(section.getStringList("remove"), templates(section, "set"), templates(section, "add"));
        }
        Optional<JsonEdits> json = Optional.empty();
        if (side.has("json")) {
            PluginConfig section = side.getSection("json");
            section.requireKnownKeys(Set.of("max-size", "set", "remove", "rename"));
            Map<String, String> rename = new LinkedHashMap<>();
            PluginConfig renames = section.getSection("rename");
            for (String from : renames.keys()) {
                rename.put(from, renames.getString(from));
            }
            json = Optional.of(new JsonEdits(section.getSize("max-size", DEFAULT_MAX_BODY, 1, Integer.MAX_VALUE - 8),
                    section.getStringList("remove"), rename, templates(section, "set")));
        }
        Optional<TextReplace> replace = Optional.empty();
        if (side.has("replace")) {
            PluginConfig section = side.getSection("replace");
            section.requireKnownKeys(Set.of("max-size", "regex", "replacement"));
            replace = Optional.of(new TextReplace(section.getSize("max-size", DEFAULT_MAX_BODY, 1, Integer.MAX_VALUE - 8),
                    pattern(section, "regex"), section.getString("replacement")));
        }
        return new Side(headers, json, replace);
    }

    private static Map<String, Template> templates(PluginConfig section, String key) {
        Map<String, Template> templates = new LinkedHashMap<>();
        PluginConfig values = section.getSection(key);
        for (String name : values.keys()) {
            try {
                templates.put(name, Template.parse(values.getString(name)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(values.path(name), e.getMessage());
            }
        }
        return templates;
    }

    private static Pattern pattern(PluginConfig section, String key) {
        try {
            return Pattern.compile(section.getString(key));
        } catch (PatternSyntaxException e) {
            throw new ConfigException(section.path(key), "not a regular expression: " + e.getDescription());
        }
    }

    @Override
    public ProxyFilter create(TransformConfig config, FilterContext context) {
        return new TransformFilter(config, context);
    }
}
