package io.gatehouse.plugins.router;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.gatehouse.plugins.router.RouterTestSupport.yaml;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterConfigTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            routes: [ { name: a, cluster: c }, { name: a, upstream: "http://h:1" } ]               | filters[0].config.routes[1].name: duplicate route name "a" (also routes[0])
            routes: [ { name: a, path-regex: "/(x", cluster: c } ]                                 | filters[0].config.routes[0].path-regex: invalid regular expression
            routes: [ { name: a, path-prefix: /x } ]                                               | filters[0].config.routes[0].cluster: a route needs a cluster
            routes: [ { name: a, cluster: c, upstream: "http://h:1" } ]                            | filters[0].config.routes[0].cluster: a route has either a cluster or an upstream
            routes: [ { cluster: c } ]                                                             | filters[0].config.routes[0].name: is required
            routes: [ { name: a, path: /x, path-prefix: /y, cluster: c } ]                         | filters[0].config.routes[0].path-prefix: a route has one of path
            routes: [ { name: a, strip-prefix: true, path: /x, cluster: c } ]                      | filters[0].config.routes[0].strip-prefix: needs a path-prefix
            routes: [ { name: a, pathprefix: /x, cluster: c } ]                                    | filters[0].config.routes[0].pathprefix: unknown key
            routes: [ { name: a, host: "exa mple.com", cluster: c } ]                              | filters[0].config.routes[0].host: "exa mple.com" is not a host name
            routes: [ { name: a, host: "a.*.com", cluster: c } ]                                   | filters[0].config.routes[0].host:
            routes: [ { name: a, host-rewrite: "in ternal", cluster: c } ]                         | filters[0].config.routes[0].host-rewrite: "in ternal" is not a Host header value
            routes: [ { name: a, host-rewrite: "user@internal", cluster: c } ]                     | filters[0].config.routes[0].host-rewrite: "user@internal" is not a Host header value
            routes: [ { name: a, timeout: 0s, cluster: c } ]                                       | filters[0].config.routes[0].timeout: must be positive
            routes: [ { name: a, timeout: soon, cluster: c } ]                                     | filters[0].config.routes[0].timeout:
            routes: [ { name: a, path-prefix: /x/../.., cluster: c } ]                             | filters[0].config.routes[0].path-prefix: the path climbs above the root
            routes: [ { name: a, headers: { X-A: "~[" }, cluster: c } ]                            | filters[0].config.routes[0].headers.X-A: invalid regular expression
            routes: [ { name: a, methods: [ "GET POST" ], cluster: c } ]                           | filters[0].config.routes[0].methods: "GET POST" is not an HTTP method
            routes: [ { name: a, upstream: "ftp://h" } ]                                           | filters[0].config.routes[0].upstream:
            routes: [ { name: a, rewrite: { regex: "^/a", replacement: "/b" }, add-prefix: /p, cluster: c } ] | filters[0].config.routes[0].rewrite: use either rewrite or strip-prefix/add-prefix
            routes: [ { name: a, rewrite: { regex: "^/a" }, cluster: c } ]                        | filters[0].config.routes[0].rewrite.replacement: is required
            routes: []                                                                             | filters[0].config.routes: at least one route (or a default) is needed
            default: { path: /x, cluster: c }                                                      | filters[0].config.default.path: the default route has no match conditions
            routes: [ { name: default, cluster: c } ]\\ndefault: { cluster: d }                     | filters[0].config.default.name: duplicate route name "default"
            route: []                                                                              | filters[0].config.route: unknown key (known here: default, routes)
            """)
    void badConfigNamesTheKey(String config, String message) {
        assertThatThrownBy(() -> new RouterFilterFactory().parseConfig(
                PluginConfig.of("filters[0].config", yaml(config.replace("\\n", "\n")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }
}
