package io.gatehouse.plugins.cors;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Response;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorsFilterTest {

    static final Map<String, Object> API = Map.of(
            "allow-origins", List.of("https://app.example.com", "https://*.example.org"),
            "allow-origin-patterns", List.of("https://pr-[0-9]+\\.preview\\.example\\.net"),
            "allow-methods", List.of("GET", "POST", "PUT", "PATCH", "DELETE"),
            "allow-headers", List.of("Content-Type", "Authorization", "X-Request-Id"),
            "expose-headers", List.of("X-Request-Id", "RateLimit"),
            "allow-credentials", true,
            "max-age", "10m");

    private static TestExchange preflight(String origin, String method, String headers) {
        TestExchange exchange = TestExchange.request("OPTIONS", "/api/orders/7")
                .header("Accept", "*/*").header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Dest", "empty");
        return headers.isEmpty() ? exchange : exchange.header("Access-Control-Request-Headers", headers);
    }

    private static Response answered(FilterResult result) {
        assertThat(result.proceeds()).as("answered at the edge, never forwarded").isFalse();
        return result.response().orElseThrow();
    }

    @Test
    void aChromiumOrFirefoxShapedPreflightIsAnswered204WithEveryField() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            // both browsers: lower case, sorted, comma-separated without spaces
            Response answer = answered(harness.request(preflight("https://app.example.com", "PUT", "authorization,content-type,x-request-id")));

            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.bodyLength()).isZero();
            assertThat(answer.headers().first("Access-Control-Allow-Origin")).contains("https://app.example.com");
            assertThat(answer.headers().first("Access-Control-Allow-Credentials")).contains("true");
            assertThat(answer.headers().first("Access-Control-Allow-Methods")).contains("GET, POST, PUT, PATCH, DELETE");
            assertThat(answer.headers().first("Access-Control-Allow-Headers")).contains("Content-Type, Authorization, X-Request-Id");
            assertThat(answer.headers().first("Access-Control-Max-Age")).contains("600");
            assertThat(answer.headers().first("Vary")).contains("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
            assertThat(answer.headers().contains("Access-Control-Expose-Headers")).as("not on preflights").isFalse();
            assertThat(harness.metrics().count("preflights", "answer", "allowed")).isEqualTo(1);
        }
    }

    @Test
    void requestHeaderNamesAreMatchedWhateverTheirCaseAndSpacing() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            assertThat(answered(harness.request(preflight("https://app.example.com", "POST", "Content-Type , X-REQUEST-ID"))).status())
                    .isEqualTo(204);
            assertThat(answered(harness.request(preflight("https://app.example.com", "GET", ""))).status()).isEqualTo(204);
        }
    }

    @ParameterizedTest(name = "{0} {1} [{2}]: {3}")
    @CsvSource(delimiter = '|', value = {
            "https://evil.example.com | PUT    | content-type            | origin not allowed",
            "null                     | PUT    | content-type            | origin not allowed",
            "https://app.example.com  | TRACE  | ''                      | method not allowed",
            "https://app.example.com  | patch  | ''                      | method not allowed",
            "https://app.example.com  | PUT    | content-type,x-debug    | request header not allowed",
            "https://app.example.com  | PUT    | content-type,bad header | request header not allowed"})
    void aPreflightOutsideThePolicyGets403AndNoCorsFields(String origin, String method, String headers, String reason) {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            Response answer = answered(harness.request(preflight(origin, method, headers)));

            assertThat(answer.status()).isEqualTo(403);
            assertThat(new String(answer.body())).isEqualTo("CORS preflight refused: " + reason + "\n");
            assertThat(answer.headers().contains("Access-Control-Allow-Origin")).isFalse();
            assertThat(harness.metrics().count("preflights", "answer", "refused")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "https://app.example.com           | true",
            "https://a.example.org             | true",
            "https://a.b.example.org           | true",
            "https://example.org               | false",
            "https://evilexample.org           | false",
            "https://a..example.org            | false",
            "https://.example.org              | false",
            "http://a.example.org              | false",
            "https://a.example.org:8443        | false",
            "https://a.example.org.evil.com    | false",
            "https://pr-42.preview.example.net | true",
            "https://pr-x.preview.example.net  | false",
            "https://app.example.com.evil.com  | false",
            "HTTPS://APP.EXAMPLE.COM           | false"})
    void exactWildcardAndPatternOrigins(String origin, boolean allowed) {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            assertThat(answered(harness.request(preflight(origin, "GET", ""))).status()).isEqualTo(allowed ? 204 : 403);
        }
    }

    @Test
    void anActualRequestFromAnAllowedOriginGetsItsFieldsAndVaryIsMerged() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            TestExchange exchange = TestExchange.request("POST", "/api/orders").header("Origin", "https://a.example.org")
                    .header("Sec-Fetch-Mode", "cors");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            exchange.respondWith(201, "Vary", "Accept-Encoding", "Access-Control-Allow-Origin", "*", "Content-Type", "application/json");
            harness.response(exchange);

            ResponseHead head = exchange.response().orElseThrow();
            assertThat(head.headers().all("Access-Control-Allow-Origin")).as("the origin's own value replaced").containsExactly("https://a.example.org");
            assertThat(head.headers().first("Access-Control-Allow-Credentials")).contains("true");
            assertThat(head.headers().first("Access-Control-Expose-Headers")).contains("X-Request-Id, RateLimit");
            assertThat(head.headers().all("Vary")).containsExactly("Accept-Encoding, Origin");
        }
    }

    @Test
    void aDisallowedOrSameOriginRequestGetsNoCorsFieldsButVaryOrigin() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            for (TestExchange exchange : List.of(TestExchange.get("/api/orders").header("Origin", "https://evil.example.com"),
                    TestExchange.get("/api/orders"))) {
                assertThat(harness.request(exchange).proceeds()).isTrue();
                exchange.respondWith(200, "Access-Control-Allow-Origin", "https://evil.example.com", "Vary", "origin");
                harness.response(exchange);
                ResponseHead head = exchange.response().orElseThrow();
                assertThat(head.headers().contains("Access-Control-Allow-Origin")).isFalse();
                assertThat(head.headers().all("Vary")).containsExactly("origin");
            }
        }
    }

    @Test
    void optionsWithoutRequestMethodIsAnOrdinaryRequest() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            assertThat(harness.request(TestExchange.request("OPTIONS", "/api").header("Origin", "https://app.example.com")).proceeds()).isTrue();
            assertThat(harness.request(TestExchange.request("OPTIONS", "/api").header("Access-Control-Request-Method", "PUT")).proceeds())
                    .as("no Origin: not CORS").isTrue();
        }
    }

    @Test
    void anyOriginAnswersStarWithoutVaryAndWithoutCredentials() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), Map.of("allow-origins", "*", "allow-methods", "*",
                "allow-headers", "*", "expose-headers", "*"))) {
            Response answer = answered(harness.request(preflight("null", "patch", "x-anything,authorization")));
            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.headers().first("Access-Control-Allow-Origin")).contains("*");
            assertThat(answer.headers().first("Access-Control-Allow-Methods")).contains("patch");
            assertThat(answer.headers().first("Access-Control-Allow-Headers")).contains("x-anything, authorization");
            assertThat(answer.headers().contains("Access-Control-Allow-Credentials")).isFalse();

            TestExchange exchange = TestExchange.get("/").header("Origin", "https://anyone.example");
            harness.request(exchange);
            exchange.respondWith(200);
            harness.response(exchange);
            assertThat(exchange.response().orElseThrow().headers().first("Access-Control-Allow-Origin")).contains("*");
            assertThat(exchange.response().orElseThrow().headers().first("Access-Control-Expose-Headers")).contains("*");
            assertThat(exchange.response().orElseThrow().headers().contains("Vary")).isFalse();
        }
    }

    @Test
    void theNullOriginMatchesOnlyWhenListedAndNeverWithCredentials() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), Map.of("allow-origins", List.of("null")))) {
            assertThat(answered(harness.request(preflight("null", "GET", ""))).status()).isEqualTo(204);
        }
        assertThatThrownBy(() -> FilterHarness.of(new CorsFilterFactory(), Map.of("allow-origins", List.of("https://a.example", "null"),
                "allow-credentials", true)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("filters[0].config.allow-origins[1]: \"null\" together with allow-credentials");
    }

    @Test
    void privateNetworkAccessIsGrantedOnlyWhenConfigured() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), Map.of("allow-origins", "https://app.example.com",
                "allow-private-network", true))) {
            Response answer = answered(harness.request(preflight("https://app.example.com", "GET", "")
                    .header("Access-Control-Request-Private-Network", "true")));
            assertThat(answer.headers().first("Access-Control-Allow-Private-Network")).contains("true");
        }
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), Map.of("allow-origins", "https://app.example.com"))) {
            Response answer = answered(harness.request(preflight("https://app.example.com", "GET", "")
                    .header("Access-Control-Request-Private-Network", "true")));
            assertThat(answer.headers().contains("Access-Control-Allow-Private-Network")).isFalse();
        }
    }

    @Test
    void explainStopsAtAPreflight() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), API)) {
            TestExchange exchange = preflight("https://evil.example.com", "PUT", "");
            assertThat(harness.filter().explain(exchange)).containsExactly("CORS preflight from https://evil.example.com answered 403 here");
            assertThat(exchange.attribute(Keys.EXPLAINED_ANSWER)).contains(403);
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "allow-origins: ['*'], allow-credentials: true | filters[0].config.allow-origins[0]: \"*\" together with allow-credentials: true",
            "allow-origin-patterns: ['https://.*'], allow-credentials: true | filters[0].config.allow-origin-patterns[0]: matches any origin",
            "allow-origin-patterns: ['https://(a'] | filters[0].config.allow-origin-patterns[0]: not a regular expression",
            "allow-origins: ['https://app.example.com/path'] | filters[0].config.allow-origins[0]: not an origin such as https://app.example.com",
            "allow-origins: ['app.example.com'] | filters[0].config.allow-origins[0]: not an origin",
            "allow-origins: ['https://*.*.example.com'] | filters[0].config.allow-origins[0]: a wildcard origin has one *",
            "allow-origins: ['*', 'https://a.example'] | filters[0].config.allow-origins: \"*\" allows every origin",
            "allow-origins: ['https://a.example'], allow-methods: ['GET', 'BAD METHOD'] | filters[0].config.allow-methods[1]: not a method or header name",
            "allow-origins: ['https://a.example'], expose-headers: ['*'], allow-credentials: true | filters[0].config.expose-headers: \"*\" exposes nothing",
            "allow-origins: ['https://a.example'], max-age: 2d | filters[0].config.max-age: must be between 0s and 24h",
            "allow-credentials: true | filters[0].config.allow-origins: required",
            "allow-origins: ['https://a.example'], allow-methods: [] | filters[0].config.allow-methods: list at least one method",
            "allow-origins: ['https://a.example'], allow-origin: x | filters[0].config.allow-origin"})
    void badConfigsAreRefusedNamingTheKey(String yaml, String message) {
        Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load("{" + yaml + "}");
        assertThatThrownBy(() -> FilterHarness.of(new CorsFilterFactory(), config))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void exactOriginsAreComparedInTheFormBrowsersSend() {
        try (FilterHarness harness = FilterHarness.of(new CorsFilterFactory(), Map.of("allow-origins",
                List.of("HTTPS://App.Example.com:443", "http://localhost:3000")))) {
            assertThat(answered(harness.request(preflight("https://app.example.com", "GET", ""))).status()).isEqualTo(204);
            assertThat(answered(harness.request(preflight("http://localhost:3000", "GET", ""))).status()).isEqualTo(204);
            assertThat(answered(harness.request(preflight("http://localhost:3001", "GET", ""))).status()).isEqualTo(403);
        }
    }
}
