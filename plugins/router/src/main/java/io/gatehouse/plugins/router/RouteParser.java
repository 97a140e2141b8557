package io.gatehouse.plugins.router;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.http.PathNormalizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads one entry of {@code routes} (or the {@code default} route), naming the key of any error. */
final class RouteParser {

    static final Set<String> MATCH_KEYS = Set.of("host", "path", "path-prefix", "path-regex", "methods", "headers", "query");
    static final Set<String> ACTION_KEYS = Set.of("name", "cluster", "upstream", "strip-prefix", "add-prefix", "rewrite",
            "host-rewrite", "timeout");
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private RouteParser() {
    }

    /**
     * @param config the route's section
     * @param index its position in {@code routes}
     * @return the route
     */
    static Route route(PluginConfig config, int index) {
        checkKeys(config, true);
        String name = required(config, "name");
        List<HostPattern> hosts = new ArrayList<>();
        for (String host : config.getStringList("host")) {
            try {
                hosts.add(HostPattern.parse(host));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path("host"), e.getMessage());
            }
        }
        PathCondition path = pathCondition(config);
        Set<String> methods = new LinkedHashSet<>();
        for (String method : config.getStringList("methods")) {
            if (!METHOD.matcher(method).matches()) {
                throw new ConfigException(config.path("methods"), "\"" + method + "\" is not an HTTP method");
            }
            methods.add(method);
        }
        List<ValueMatcher> headers = matchers(config, "headers");
        List<ValueMatcher> query = matchers(config, "query");
        return withActions(config, name, index, hosts, path, methods, headers, query);
    }

    /**
     * @param config the {@code default} section
     * @return the route taken when no other matches
     */
    static Route fallback(PluginConfig config) {
        checkKeys(config, false);
        String name = config.findString("name").orElse("default");
        return withActions(config, name, -1, List.of(), PathCondition.ANY, Set.of(), List.of(), List.of());
    }

    private static Route withActions(PluginConfig config, String name, int index, List<HostPattern> hosts, PathCondition path,
                                     Set<String> methods, List<ValueMatcher> headers, List<ValueMatcher> query) {
        Optional<String> cluster = config.findString("cluster");
        Optional<Upstream> upstream = config.findUpstream("upstream");
        if (cluster.isPresent() == upstream.isPresent()) {
            throw new ConfigException(config.path("cluster"), cluster.isPresent()
                    ? "a route has either a cluster or an upstream, not both"
                    : "a route needs a cluster (served by a load balancer) or an upstream URL");
        }
        if (cluster.isPresent() && cluster.get().isBlank()) {
            throw new ConfigException(config.path("cluster"), "must not be empty");
        }
        PathRewrite rewrite = rewrite(config, path);
        Optional<String> hostRewrite = config.findString("host-rewrite").map(host -> {
            if (!isHostHeader(host)) {
                throw new ConfigException(config.path("host-rewrite"), "\"" + host + "\" is not a Host header value");
            }
            return host;
        });
        Optional<Duration> timeout = config.findPositiveDuration("timeout");
        return new Route(name, index, hosts, path, methods, headers, query, cluster, upstream, rewrite, hostRewrite, timeout);
    }

    private static PathCondition pathCondition(PluginConfig config) {
        List<String> given = new ArrayList<>();
        for (String key : List.of("path", "path-prefix", "path-regex")) {
            if (config.has(key)) {
                given.add(key);
            }
        }
        if (given.size() > 1) {
            throw new ConfigException(config.path(given.get(1)), "a route has one of path, path-prefix, path-regex");
        }
        if (given.isEmpty()) {
            return PathCondition.ANY;
        }
        String key = given.get(0);
        String value = config.getString(key);
        try {
            return switch (key) {
                case "path" -> PathCondition.exact(value);
                case "path-prefix" -> PathCondition.prefix(value);
                default -> PathCondition.regex(value);
            };
        } catch (PatternSyntaxException e) {
            throw new ConfigException(config.path(key), "invalid regular expression: " + e.getDescription());
        } catch (IllegalArgumentException e) { // a path PathNormalizer refuses
            throw new ConfigException(config.path(key), e.getMessage());
        }
    }

    private static PathRewrite rewrite(PluginConfig config, PathCondition path) {
        boolean strip = config.getBoolean("strip-prefix", false);
        if (strip && path.kind() != PathCondition.Kind.PREFIX) {
            throw new ConfigException(config.path("strip-prefix"), "needs a path-prefix to strip");
        }
        String add = "";
        if (config.has("add-prefix")) {
            try {
                add = PathNormalizer.normalize(config.getString("add-prefix"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path("add-prefix"), e.getMessage());
            }
            if (add.endsWith("/")) {
                add = add.substring(0, add.length() - 1);
            }
        }
        if (!config.has("rewrite")) {
            return strip || !add.isEmpty() ? new PathRewrite(strip ? path.value() : "", add, null, "") : PathRewrite.NONE;
        }
        if (strip || config.has("add-prefix")) {
            throw new ConfigException(config.path("rewrite"), "use either rewrite or strip-prefix/add-prefix");
        }
        PluginConfig rewrite = config.getSection("rewrite");
        for (String key : rewrite.keys()) {
            if (!key.equals("regex") && !key.equals("replacement")) {
                throw new ConfigException(rewrite.path(key), "unknown key (known here: regex, replacement)");
            }
        }
        try {
            return new PathRewrite("", "", Pattern.compile(required(rewrite, "regex")), required(rewrite, "replacement"));
        } catch (PatternSyntaxException e) {
            throw new ConfigException(rewrite.path("regex"), "invalid regular expression: " + e.getDescription());
        }
    }

    private static List<ValueMatcher> matchers(PluginConfig config, String key) {
        List<ValueMatcher> matchers = new ArrayList<>();
        for (Map.Entry<String, String> entry : config.getStringMap(key).entrySet()) {
            try {
                matchers.add(ValueMatcher.parse(entry.getKey(), entry.getValue() == null ? "*" : entry.getValue()));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(config.getSection(key).path(entry.getKey()), "invalid regular expression: " + e.getDescription());
            }
        }
        return matchers;
    }

    private static void checkKeys(PluginConfig config, boolean matchAllowed) {
        for (String key : config.keys()) {
            if (ACTION_KEYS.contains(key) || (matchAllowed && MATCH_KEYS.contains(key))) {
                continue;
            }
            throw new ConfigException(config.path(key), matchAllowed
                    ? "unknown key (known here: " + String.join(", ", sorted(MATCH_KEYS, ACTION_KEYS)) + ")"
                    : MATCH_KEYS.contains(key) ? "the default route has no match conditions"
                    : "unknown key (known here: " + String.join(", ", sorted(ACTION_KEYS)) + ")");
        }
    }

    @SafeVarargs
    private static List<String> sorted(Set<String>... sets) {
        List<String> all = new ArrayList<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        all.sort(null);
        return all;
    }

    /** A non-empty {@code Host} value without spaces, controls or URI delimiters (what the proxy would send as is). */
    private static boolean isHostHeader(String host) {
        return !host.isEmpty() && host.chars().noneMatch(c -> c <= 0x20 || c >= 0x7f || "/?#@\\".indexOf(c) >= 0);
    }

    private static String required(PluginConfig config, String key) {
        String value = config.findString(key).orElseThrow(() -> new ConfigException(config.path(key), "is required"));
        if (value.isBlank()) {
            throw new ConfigException(config.path(key), "must not be empty");
        }
        return value;
    }
}
