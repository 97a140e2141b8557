package io.gatehouse.plugins.transform;

import io.gatehouse.api.Keys;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transform filter on the in-memory test kit. */
class TransformFilterTest {

    private static FilterHarness harness(Map<String, ?> config) {
        return FilterHarness.of(new TransformFilterFactory(), config);
    }

    @Test
    void headersGetTemplatedValuesFromRequestFacts() {
        try (FilterHarness harness = harness(Map.of("request", Map.of("headers", Map.of(
                "set", Map.of("X-Client", "${client_ip}", "X-Item", "item ${segment.2} of ${header.X-Tenant}, $$5", "X-Q", "${query.id}"),
                "remove", List.of("X-Debug"))),
                "response", Map.of("headers", Map.of("add", Map.of("X-Route", "${route}")))))) {
            TestExchange exchange = TestExchange.get("/items/42?id=7").header("X-Tenant", "acme").header("X-Debug", "1");
            exchange.setRoute("items");
            harness.request(exchange);

            assertThat(exchange.request().headers().first("X-Client")).hasValue("127.0.0.1");
            assertThat(exchange.request().headers().first("X-Item")).hasValue("item 42 of acme, $5");
            assertThat(exchange.request().headers().first("X-Q")).hasValue("7");
            assertThat(exchange.request().headers().contains("X-Debug")).isFalse();

            exchange.respondWith(200);
            harness.response(exchange);
            assertThat(exchange.response().orElseThrow().headers().first("X-Route")).hasValue("items");
        }
    }

    @Test
    void pathAndQueryAreRewritten() {
        try (FilterHarness harness = harness(Map.of("request", Map.of(
                "path", Map.of("regex", "/v1/(.*)", "replacement", "/api/$1"),
                "query", Map.of("set", Map.of("via", "gate house"), "remove", List.of("debug")))))) {
            TestExchange exchange = TestExchange.get("/v1/users?debug=1&page=2");
            harness.request(exchange);
            assertThat(exchange.request().target()).isEqualTo("/api/users?page=2&via=gate%20house");

            TestExchange other = TestExchange.get("/v2/users");
            harness.request(other);
            assertThat(other.request().target()).isEqualTo("/v2/users?via=gate%20house");
        }
    }

    @Test
    void jsonFieldsAreRemovedRenamedAndSetInAResponseBody() {
        try (FilterHarness harness = harness(Map.of("response", Map.of("json", Map.of(
                "remove", List.of("internal", "user.password"), "rename", Map.of("user.mail", "email"),
                "set", Map.of("meta.served-by", "gatehouse", "meta.consumer", "${consumer}")))))) {
            TestExchange exchange = TestExchange.get("/me");
            exchange.setAttribute(Keys.CONSUMER, "web");
            exchange.respondWith(200, "Content-Type", "application/json; charset=utf-8");
            harness.response(exchange);
            exchange.responseBody().data("{\"user\":{\"name\":\"ann\",\"password\":\"x\",\"mail\":\"a@b\"},").data("\"internal\":1}").end();

            assertThat(json(exchange.responseBody().sentText()))
                    .isEqualTo(json("{\"user\":{\"name\":\"ann\",\"email\":\"a@b\"},\"meta\":{\"served-by\":\"gatehouse\",\"consumer\":\"web\"}}"));
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aResponseBodyThatIsNotJsonOrOverTheCapGoesOnUnchanged() {
        try (FilterHarness harness = harness(Map.of("response", Map.of("json", Map.of("max-size", "16B", "remove", List.of("a")))))) {
            TestExchange notJson = TestExchange.get("/");
            notJson.respondWith(200, "Content-Type", "application/json");
            harness.response(notJson);
            notJson.responseBody().data("[1, 2]").end();
            assertThat(notJson.responseBody().sentText()).isEqualTo("[1, 2]");

            TestExchange big = TestExchange.get("/");
            big.respondWith(200, "Content-Type", "application/json");
            harness.response(big);
            big.responseBody().data("{\"a\":1,").data("\"b\":\"0123456789\"}").end();
            assertThat(big.responseBody().sentText()).isEqualTo("{\"a\":1,\"b\":\"0123456789\"}");
            assertThat(harness.filter().status().orElseThrow()).contains("1 response bodies over max-size passed unchanged");
        }
    }

    @Test
    void aRegexReplacesInTextBodiesOnly() {
        try (FilterHarness harness = harness(Map.of("response", Map.of("replace", Map.of("regex", "http://internal\\.([a-z]+)", "replacement", "https://$1.example.com"))))) {
            TestExchange html = TestExchange.get("/");
            html.respondWith(200, "Content-Type", "text/html");
            harness.response(html);
            html.responseBody().data("<a href=\"http://inter").data("nal.shop/x\">").end();
            assertThat(html.responseBody().sentText()).isEqualTo("<a href=\"https://shop.example.com/x\">");

            TestExchange image = TestExchange.get("/");
            image.respondWith(200, "Content-Type", "image/png");
            harness.response(image);
            image.responseBody().data("http://internal.shop").end();
            assertThat(image.responseBody().sentText()).isEqualTo("http://internal.shop");
        }
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> harness(Map.of("request", Map.of("headers", Map.of("set", Map.of("X-A", "${nope}"))))))
                .hasMessageContaining("filters[0].config.request.headers.set.X-A").hasMessageContaining("unknown fact ${nope}");
        assertThatThrownBy(() -> harness(Map.of("response", Map.of("replace", Map.of("regex", "(", "replacement", "")))))
                .hasMessageContaining("response.replace.regex").hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> harness(Map.of("response", Map.of("path", Map.of()))))
                .hasMessageContaining("response");
    }
}
