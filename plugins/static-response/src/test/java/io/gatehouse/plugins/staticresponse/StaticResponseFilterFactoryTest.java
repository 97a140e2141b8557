package io.gatehouse.plugins.staticresponse;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.Response;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StaticResponseFilterFactoryTest {

    private final StaticResponseFilterFactory factory = new StaticResponseFilterFactory();

    private Response parse(Map<String, ?> config) {
        return factory.parseConfig(PluginConfig.of("filters[0].config", config));
    }

    private static String body(Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static List<String> dump(Response response) {
        List<String> out = new ArrayList<>();
        response.headers().forEach((name, value) -> out.add(name + ": " + value));
        return out;
    }

    @Test
    void typeIsStaticResponse() {
        assertThat(factory.type()).isEqualTo("static-response");
    }

    @Test
    void defaultsTo200WithEmptyBodyAndNoHeaders() {
        Response response = parse(Map.of());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyLength()).isZero();
        assertThat(response.headers().size()).isZero();
    }

    @Test
    void statusAndBodyHonoured() {
        Response response = parse(Map.of("status", 503, "body", "maintenance"));
        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response)).isEqualTo("maintenance");
        assertThat(response.headers().all("Content-Type")).containsExactly("text/plain; charset=utf-8");
    }

    @Test
    void statusMayBeAString() {
        assertThat(parse(Map.of("status", "404")).status()).isEqualTo(404);
    }

    @Test
    void contentTypeHonoured() {
        Response response = parse(Map.of("body", "{\"ok\":true}", "content-type", "application/json"));
        assertThat(response.headers().all("content-type")).containsExactly("application/json");
        assertThat(body(response)).isEqualTo("{\"ok\":true}");
    }

    @Test
    void headersHonouredInOrder() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("X-Served-By", "gatehouse");
        headers.put("Retry-After", 30);
        Response response = parse(Map.of("status", 503, "body", "later", "headers", headers));
        assertThat(dump(response)).containsExactly(
                "Content-Type: text/plain; charset=utf-8",
                "Cache-Control: no-store",
                "X-Served-By: gatehouse",
                "Retry-After: 30");
    }

    @Test
    void headersWithoutBodyGetNoContentType() {
        Response response = parse(Map.of("status", 302, "headers", Map.of("Location", "/login")));
        assertThat(dump(response)).containsExactly("Location: /login");
    }

    @Test
    void utf8Body() {
        Response response = parse(Map.of("body", "größe"));
        assertThat(response.body()).containsExactly("größe".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(ints = {600, 150, 199, 0, 1000})
    void statusOutOfRangeNamesTheKey(int status) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(Map.of("status", status)));
        assertThat(e.key()).isEqualTo("filters[0].config.status");
        assertThat(e).hasMessageStartingWith("filters[0].config.status: ").hasMessageContaining(String.valueOf(status));
    }

    @Test
    void nonNumericStatusNamesTheKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(Map.of("status", "OK")));
        assertThat(e.key()).isEqualTo("filters[0].config.status");
        assertThat(e).hasMessageContaining("expected an integer");
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void bodyWithBodilessStatusIsRejected(int status) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("status", status, "body", "nope")));
        assertThat(e.key()).isEqualTo("filters[0].config.body");
        assertThat(e).hasMessageContaining(String.valueOf(status));
    }

    @Test
    void bodilessStatusWithoutBodyIsFine() {
        Response response = parse(Map.of("status", 204));
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.bodyLength()).isZero();
        assertThat(response.headers().contains("Content-Type")).isFalse();
    }

    @Test
    void unknownKeyIsRejected() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(Map.of("code", 200)));
        assertThat(e.key()).isEqualTo("filters[0].config.code");
        assertThat(e).hasMessageStartingWith("filters[0].config.code: unknown key");
    }

    @Test
    void invalidHeaderIsRejected() {
        ConfigException name = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("headers", Map.of("Bad Name", "v"))));
        assertThat(name.key()).startsWith("filters[0].config.headers");
        ConfigException value = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("headers", Map.of("X-A", "v\r\nSet-Cookie: s=1"))));
        assertThat(value.key()).startsWith("filters[0].config.headers");
    }

    @Test
    void headersMustBeAMap() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(Map.of("headers", "X-A: 1")));
        assertThat(e.key()).isEqualTo("filters[0].config.headers");
    }
    @Test
    void invalidContentTypeNamesContentTypeKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("body", "x", "content-type", "text/plain\r\nSet-Cookie: s=1")));
        assertThat(e.key()).isEqualTo("filters[0].config.content-type");
    }
    @Test
    void contentTypeUnderHeadersDoesNotDuplicateTheField() {
        Response response;
        try {
            response = parse(Map.of("body", "{}", "headers", Map.of("Content-Type", "application/json")));
        } catch (ConfigException e) {
            // refusing the ambiguity is an acceptable fix too
            assertThat(e.key()).startsWith("filters[0].config.headers");
            return;
        }
        assertThat(response.headers().all("content-type")).hasSize(1);
    }

    @Test
    void filterAnswersWithTheConfiguredResponse() {
        try (FilterHarness harness = FilterHarness.of(factory,
                Map.of("status", 418, "body", "short and stout", "headers", Map.of("X-Teapot", "yes")))) {
            TestExchange exchange = TestExchange.get("/healthz");
            FilterResult result = harness.request(exchange);
            assertThat(result.proceeds()).isFalse();
            Response response = result.response().orElseThrow();
            assertThat(response.status()).isEqualTo(418);
            assertThat(body(response)).isEqualTo("short and stout");
            assertThat(response.headers().first("x-teapot")).contains("yes");
            assertThat(response.headers().first("content-type")).contains("text/plain; charset=utf-8");
            assertThat(exchange.response()).isEmpty();
        }
    }

    @Test
    void filterAnswersEveryRequestTheSame() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("body", "ok"))) {
            FilterResult first = harness.request(TestExchange.get("/a"));
            FilterResult second = harness.request(TestExchange.request("POST", "/b"));
            assertThat(first.proceeds()).isFalse();
            assertThat(second.proceeds()).isFalse();
            assertThat(first.response().orElseThrow().status()).isEqualTo(200);
            assertThat(body(second.response().orElseThrow())).isEqualTo("ok");
        }
    }

    @Test
    void filterDoesNotTouchTheResponseHook() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("body", "ok"))) {
            TestExchange exchange = TestExchange.get("/").respondWith(500, "X-Origin", "1");
            assertThat(harness.response(exchange).proceeds()).isTrue();
            assertThat(exchange.response().orElseThrow().status()).isEqualTo(500);
        }
    }

    @Test
    void harnessPropagatesConfigErrors() {
        assertThatThrownBy(() -> FilterHarness.of(factory, Map.of("status", 600)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.status");
    }

    @Test
    void extensionIndexListsTheFactory() throws IOException {
        // getClass().getResource("/META-INF/extensions.idx") finds target/test-classes first, where the
        // PF4J annotation processor (also run by testCompile) writes an index without entries; so pick
        // the index that sits next to the factory's own classes (target/classes or the plugin jar).
        assertThat(getClass().getResource("/META-INF/extensions.idx")).isNotNull();
        String home = StaticResponseFilterFactory.class.getProtectionDomain().getCodeSource().getLocation().toString();
        List<URL> indexes = Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"));
        URL index = indexes.stream()
                .filter(url -> url.toString().contains(home))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no META-INF/extensions.idx under " + home + " among " + indexes));
        try (InputStream in = index.openStream()) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
            assertThat(lines).contains("io.gatehouse.plugins.staticresponse.StaticResponseFilterFactory");
            assertThat(lines).contains(StaticResponseFilterFactory.class.getName());
        }
    }
}
