package io.gatehouse.plugins.router;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.gatehouse.plugins.router.RouterTestSupport.router;
import static org.assertj.core.api.Assertions.assertThat;

class RouterFilterTest {

    private static final String PRECEDENCE = """
            routes:
              - { name: any-prefix-root, path-prefix: /, cluster: c }
              - { name: regex-users, path-regex: "/users/[0-9]+", cluster: c }
              - { name: prefix-users, path-prefix: /users, cluster: c }
              - { name: prefix-users-admin, path-prefix: /users/admin, cluster: c }
              - { name: exact-users-me, path: /users/me, cluster: c }
              - { name: catch-all, cluster: c }
              - { name: host-any-path, host: api.example.com, cluster: c }
              - { name: host-prefix, host: api.example.com, path-prefix: /users, cluster: c }
              - { name: wild-short, host: "*.example.com", path-prefix: /, cluster: c }
              - { name: wild-long, host: "*.eu.example.com", cluster: c }
              - { name: only-regex, path-regex: "/r/.*", cluster: c }
            """;

    private static String routeOf(FilterHarness harness, TestExchange exchange) {
        FilterResult result = harness.request(exchange);
        assertThat(result.proceeds()).as("proceeds: %s", result).isTrue();
        return exchange.route().orElseThrow();
    }

    private static TestExchange get(String host, String target) {
        TestExchange exchange = TestExchange.get(target).header("Host", host);
        return exchange;
    }

    @ParameterizedTest(name = "{0}{1} -> {2}")
    @CsvSource({
            // any host: exact > longest prefix > shorter prefix > regex > no path condition
            "other.org, /users/me, exact-users-me",
            "other.org, /users/admin/x, prefix-users-admin",
            "other.org, /users/42, prefix-users",
            "other.org, /users, prefix-users",
            "other.org, /usersx, any-prefix-root",
            "other.org, /, any-prefix-root",
            // host-specific before wildcard before any host, whatever the path specificity
            "api.example.com, /users/me, host-prefix",
            "api.example.com, /other, host-any-path",
            "www.example.com, /users/me, wild-short",
            "a.eu.example.com, /users, wild-long",
            "eu.example.com, /users, wild-short",
            "example.com, /users/me, exact-users-me",
            // host compared without case, port or trailing dot
            "API.Example.COM, /x, host-any-path",
            "api.example.com.:8080, /x, host-any-path",
            "api.example.com:443, /users/1, host-prefix",
    })
    void mostSpecificRouteWins(String host, String path, String expected) {
        try (FilterHarness harness = router(PRECEDENCE)) {
            assertThat(routeOf(harness, get(host, path))).isEqualTo(expected);
        }
    }

    @Test
    void regexBeatsARouteWithoutPathConditionButNotAPrefix() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: all, cluster: c }
                  - { name: regex, path-regex: "/r/[a-z]+", cluster: c }
                  - { name: prefix, path-prefix: /r/prefixed, cluster: c }
                """)) {
            assertThat(routeOf(harness, get("h", "/r/abc"))).isEqualTo("regex");
            assertThat(routeOf(harness, get("h", "/r/prefixed"))).isEqualTo("prefix");
            assertThat(routeOf(harness, get("h", "/r/ABC"))).as("regex must match the whole path").isEqualTo("all");
        }
    }

    @Test
    void tiesGoToTheFirstRouteListed() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: first, path-prefix: /api, cluster: c }
                  - { name: second, path-prefix: /api/, cluster: c }
                  - { name: third, path-prefix: /api, cluster: c }
                """)) {
            assertThat(routeOf(harness, get("h", "/api/x"))).isEqualTo("first");
        }
    }

    @Test
    void aMoreSpecificRouteWhoseOtherConditionsFailFallsThroughToTheNext() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: write, path: /items, methods: [POST, PUT], cluster: c }
                  - { name: canary, path-prefix: /items, headers: { X-Canary: always }, cluster: c }
                  - { name: beta, path-prefix: /items, headers: { X-Beta: "*" }, cluster: c }
                  - { name: mobile, path-prefix: /items, headers: { User-Agent: "~.*Mobile.*" }, cluster: c }
                  - { name: v2, path-prefix: /items, query: { version: "2" }, cluster: c }
                  - { name: read, path-prefix: /, cluster: c }
                """)) {
            assertThat(routeOf(harness, TestExchange.request("POST", "/items"))).isEqualTo("write");
            assertThat(routeOf(harness, TestExchange.get("/items"))).isEqualTo("read");
            assertThat(routeOf(harness, TestExchange.get("/items").header("X-Canary", "always"))).isEqualTo("canary");
            assertThat(routeOf(harness, TestExchange.get("/items").header("x-canary", "never"))).isEqualTo("read");
            assertThat(routeOf(harness, TestExchange.get("/items").header("X-Beta", ""))).isEqualTo("beta");
            assertThat(routeOf(harness, TestExchange.get("/items").header("User-Agent", "Foo Mobile/1"))).isEqualTo("mobile");
            assertThat(routeOf(harness, TestExchange.get("/items").header("User-Agent", "Desktop"))).isEqualTo("read");
            assertThat(routeOf(harness, TestExchange.get("/items?a=1&version=2"))).isEqualTo("v2");
            assertThat(routeOf(harness, TestExchange.get("/items?version=3"))).isEqualTo("read");
        }
    }

    @Test
    void queryValuesAreComparedDecoded() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: q, query: { name: "a b/c" }, cluster: c }
                default: { cluster: d }
                """)) {
            assertThat(routeOf(harness, TestExchange.get("/?name=a+b%2Fc"))).isEqualTo("q");
            assertThat(routeOf(harness, TestExchange.get("/?name=a%20b/c"))).isEqualTo("q");
            assertThat(routeOf(harness, TestExchange.get("/?name=ab"))).isEqualTo("default");
        }
    }

    @Test
    void prefixesMatchOnSegmentBoundaries() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: api, path-prefix: /api, cluster: c }
                default: { name: fallback, cluster: d }
                """)) {
            assertThat(routeOf(harness, get("h", "/api"))).isEqualTo("api");
            assertThat(routeOf(harness, get("h", "/api/"))).isEqualTo("api");
            assertThat(routeOf(harness, get("h", "/api/x/y"))).isEqualTo("api");
            assertThat(routeOf(harness, get("h", "/apix"))).isEqualTo("fallback");
            assertThat(routeOf(harness, get("h", "/ap"))).isEqualTo("fallback");
        }
    }

    @Test
    void requestsNoRouteTakesGet404AndRefusedPathsGet400() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: admin, path-prefix: /admin, methods: [GET], cluster: c }
                  - { name: public, path-prefix: /public, cluster: c }
                """)) {
            assertThat(status(harness, get("h", "/nothing"))).isEqualTo(404);
            assertThat(status(harness, TestExchange.request("DELETE", "/admin/x"))).isEqualTo(404);
            assertThat(status(harness, get("h", "/public/..%2fadmin"))).isEqualTo(400);
            assertThat(status(harness, get("h", "/public/%2e%2e/%2e%2e/etc"))).isEqualTo(400);
            assertThat(status(harness, get("h", "/public/a%00"))).isEqualTo(400);
        }
    }

    @Test
    void hostilePathsAreMatchedAndForwardedInTheirNormalForm() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: admin, path-prefix: /admin, cluster: admin }
                  - { name: public, path-prefix: /public, cluster: public }
                """)) {
            for (String sneaky : new String[]{"//admin/x", "/public/../admin/x", "/public/%2e%2e/admin/x", "/./admin/./x",
                    "/public/.%2E/admin//x", "/%61dmin/x", "/admin;x/x", "/public/..;y/admin/x"}) {
                TestExchange exchange = get("h", sneaky + "?q=1");
                assertThat(routeOf(harness, exchange)).as(sneaky).isEqualTo("admin");
                assertThat(exchange.request().target()).as(sneaky).isEqualTo("/admin/x?q=1");
            }
        }
    }

    @Test
    void aTargetAnEarlierFilterSetIsMatchedInItsNormalFormToo() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: admin, path-prefix: /admin, cluster: admin }
                  - { name: public, path-prefix: /public, cluster: public }
                """)) {
            TestExchange exchange = get("h", "/public/x");
            exchange.request().setTarget("/public/../admin;p/x?q=1"); // as an earlier filter may set it, unnormalised

            assertThat(routeOf(harness, exchange)).isEqualTo("admin");
            assertThat(exchange.request().target()).isEqualTo("/admin/x?q=1");
        }
    }

    @Test
    void rewritesChangeWhatTheOriginSees() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: strip, path-prefix: /api, strip-prefix: true, cluster: c }
                  - { name: swap, path-prefix: /v1, strip-prefix: true, add-prefix: /legacy/, cluster: c }
                  - { name: add, path-prefix: /static, add-prefix: /cdn, cluster: c }
                  - { name: regex, path-regex: "/users/([0-9]+)/posts", rewrite: { regex: "^/users/([0-9]+)/posts$", replacement: "/posts/by/$1" }, cluster: c }
                """)) {
            assertThat(targetAfter(harness, "/api/users?x=1")).isEqualTo("/users?x=1");
            assertThat(targetAfter(harness, "/api")).isEqualTo("/");
            assertThat(targetAfter(harness, "/api/")).isEqualTo("/");
            assertThat(targetAfter(harness, "/v1/items")).isEqualTo("/legacy/items");
            assertThat(targetAfter(harness, "/static/a.css")).isEqualTo("/cdn/static/a.css");
            assertThat(targetAfter(harness, "/users/42/posts?page=2")).isEqualTo("/posts/by/42?page=2");
        }
    }

    @Test
    void theRouteDecidesClusterUpstreamHostAndTimeout() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: users, path-prefix: /users, cluster: users-v1 }
                  - name: legacy
                    path-prefix: /legacy
                    upstream: http://127.0.0.1:9911
                    host-rewrite: legacy.internal
                    timeout: 1500ms
                """)) {
            TestExchange users = get("h", "/users/1");
            harness.request(users);
            assertThat(users.cluster()).contains("users-v1");
            assertThat(users.upstreamSelector()).isEmpty();
            assertThat(users.responseTimeout()).isEmpty();

            TestExchange legacy = get("h", "/legacy/x");
            harness.request(legacy);
            assertThat(legacy.route()).contains("legacy");
            assertThat(legacy.cluster()).isEmpty();
            assertThat(legacy.upstreamSelector().orElseThrow().select(legacy, 1)).contains(new Upstream("http", "127.0.0.1", 9911));
            assertThat(legacy.originHost()).contains("legacy.internal");
            assertThat(legacy.responseTimeout()).contains(Duration.ofMillis(1500));
        }
    }

    @Test
    void theDefaultRouteTakesWhatNoOtherDoes() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: api, host: api.example.com, cluster: api }
                default: { cluster: web, add-prefix: /site }
                """)) {
            TestExchange exchange = get("www.example.com", "/index.html");
            assertThat(routeOf(harness, exchange)).isEqualTo("default");
            assertThat(exchange.cluster()).contains("web");
            assertThat(exchange.request().target()).isEqualTo("/site/index.html");
        }
    }

    @Test
    void optionsAsteriskOnlyMatchesRoutesWithoutPathCondition() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: root, path-prefix: /, cluster: c }
                  - { name: any, methods: [OPTIONS], cluster: c }
                """)) {
            TestExchange exchange = TestExchange.request("OPTIONS", "*");
            assertThat(routeOf(harness, exchange)).isEqualTo("any");
            assertThat(exchange.request().target()).isEqualTo("*");
        }
    }

    @Test
    void explainTellsWhichRoutesWereConsideredAndWhy() {
        try (FilterHarness harness = router("""
                routes:
                  - { name: write, path: /items, methods: [POST], cluster: c }
                  - { name: items, path-prefix: /items, strip-prefix: true, cluster: items }
                """)) {
            TestExchange exchange = get("Shop.Example.com.", "/a/../items");
            assertThat(harness.filter().explain(exchange)).containsExactly(
                    "host \"shop.example.com\" (sent as \"shop.example.com.\"), path \"/items\" (sent as \"/a/../items\")",
                    "order: host exact > wildcard (longest) > any; then path exact > longest prefix > regex > any; then list order",
                    "route write [any host, path /items]: skipped, methods [POST] does not hold",
                    "route items [any host, path-prefix /items]: matches",
                    "chosen: route items -> cluster items, strip-prefix /items, origin target /");
            assertThat(exchange.route()).contains("items");

            assertThat(harness.filter().explain(get("h", "/x%2fy"))).singleElement().asString()
                    .contains("refused: encoded slash or backslash in the path -> 400");
            assertThat(harness.filter().explain(get("h", "/other"))).last().isEqualTo("no route matches -> 404");
        }
    }

    private static int status(FilterHarness harness, TestExchange exchange) {
        FilterResult result = harness.request(exchange);
        assertThat(result.response()).as("short-circuits").isPresent();
        assertThat(new String(result.response().get().body(), StandardCharsets.UTF_8)).doesNotContain("%");
        return result.response().get().status();
    }

    private static String targetAfter(FilterHarness harness, String target) {
        TestExchange exchange = get("h", target);
        assertThat(harness.request(exchange).proceeds()).isTrue();
        return exchange.request().target();
    }
}
