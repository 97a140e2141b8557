package io.gatehouse.plugins.router;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.References;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code router} filter: chooses a named route, and the cluster or upstream that serves it,
 * for each request (ingress routing).
 *
 * <pre>
 * - type: router
 *   config:
 *     routes:
 *       - name: users
 *         host: api.example.com
 *         path-prefix: /users
 *         strip-prefix: true
 *         cluster: users
 *       - name: legacy
 *         path-regex: "/v1/.*"
 *         upstream: http://10.0.0.7:8080
 *         timeout: 5s
 *     default: { cluster: web }
 * </pre>
 */
@Extension
public final class RouterFilterFactory implements ProxyFilterFactory<RouterConfig> {

    @Override
    public String type() {
        return "router";
    }

    @Override
    public RouterConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(java.util.Set.of("routes", "default"));
        List<Route> routes = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        List<PluginConfig> sections = config.getSectionList("routes");
        for (int i = 0; i < sections.size(); i++) {
            Route route = RouteParser.route(sections.get(i), i);
            Integer earlier = names.putIfAbsent(route.name(), i);
            if (earlier != null) {
                throw new ConfigException(sections.get(i).path("name"),
                        "duplicate route name \"" + route.name() + "\" (also routes[" + earlier + "])");
            }
            routes.add(route);
        }
        Optional<Route> fallback = config.has("default")
                ? Optional.of(RouteParser.fallback(config.getSection("default"))) : Optional.empty();
        if (fallback.isPresent() && names.containsKey(fallback.get().name())) {
            throw new ConfigException(config.getSection("default").path("name"),
                    "duplicate route name \"" + fallback.get().name() + "\" (also routes[" + names.get(fallback.get().name()) + "])");
        }
        if (routes.isEmpty() && fallback.isEmpty()) {
            throw new ConfigException(config.path("routes"), "at least one route (or a default) is needed");
        }
        return new RouterConfig(routes, fallback);
    }

    @Override
    public ProxyFilter create(RouterConfig config, FilterContext context) {
        return new RouterFilter(config);
    }

    @Override
    public References references(RouterConfig config) {
        References.Builder references = References.builder();
        for (Route route : config.routes()) {
            references.defines(References.Kind.ROUTE, route.name());
            route.cluster().ifPresent(c -> references.refersTo(References.Kind.CLUSTER, c, "routes[" + route.index() + "].cluster"));
        }
        config.fallback().ifPresent(route -> {
            references.defines(References.Kind.ROUTE, route.name());
            route.cluster().ifPresent(c -> references.refersTo(References.Kind.CLUSTER, c, "default.cluster"));
        });
        return references.build();
    }
}
