package io.gatehouse.plugins.headers;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

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

class HeadersFilterFactoryTest {

    private final HeadersFilterFactory factory = new HeadersFilterFactory();

    private static List<String> dump(HttpFields fields) {
        List<String> out = new ArrayList<>();
        fields.forEach((name, value) -> out.add(name + ": " + value));
        return out;
    }

    private HeadersConfig parse(Map<String, ?> config) {
        return factory.parseConfig(PluginConfig.of("filters[0].config", config));
    }

    @Test
    void typeIsHeaders() {
        assertThat(factory.type()).isEqualTo("headers");
    }

    @Test
    void emptyConfigMeansNoEdits() {
        HeadersConfig config = parse(Map.of());
        assertThat(config.request()).isEqualTo(HeaderEdits.NONE);
        assertThat(config.response()).isEqualTo(HeaderEdits.NONE);
        try (FilterHarness harness = FilterHarness.of(factory, Map.of())) {
            TestExchange exchange = TestExchange.get("/").header("X-A", "1").respondWith(200, "Server", "o");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(harness.response(exchange).proceeds()).isTrue();
            assertThat(dump(exchange.request().headers())).containsExactly("Host: localhost", "X-A: 1");
            assertThat(dump(exchange.response().orElseThrow().headers())).containsExactly("Server: o");
        }
    }

    @Test
    void parsesEditsOfBothSections() {
        HeadersConfig config = parse(Map.of(
                "request", Map.of("remove", List.of("X-Debug", "X-Trace"), "set", Map.of("X-Env", "prod")),
                "response", Map.of("add", Map.of("Strict-Transport-Security", "max-age=63072000"), "remove", "Server")));
        assertThat(config.request().remove()).containsExactly("X-Debug", "X-Trace");
        assertThat(config.request().set()).containsExactly(Map.entry("X-Env", "prod"));
        assertThat(config.request().add()).isEmpty();
        assertThat(config.response().remove()).containsExactly("Server");
        assertThat(config.response().add()).containsExactly(Map.entry("Strict-Transport-Security", "max-age=63072000"));
    }

    @Test
    void requestEditsApplyRemoveThenSetThenAdd() {
        // The same name in all three lists shows the order: remove clears, set puts one, add appends.
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("add", Map.of("X-A", "added"));
        request.put("set", Map.of("X-A", "set"));
        request.put("remove", List.of("x-a"));
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("request", request))) {
            TestExchange exchange = TestExchange.get("/").header("X-A", "old1").header("x-a", "old2");
            FilterResult result = harness.request(exchange);
            assertThat(result.proceeds()).isTrue();
            assertThat(exchange.request().headers().all("X-A")).containsExactly("set", "added");
        }
    }

    @Test
    void removeThenSetDoesNotLoseTheSetValue() {
        // If set ran before remove, X-Env would end up absent.
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("request",
                Map.of("remove", List.of("X-Env"), "set", Map.of("X-Env", "prod"))))) {
            TestExchange exchange = TestExchange.get("/").header("X-Env", "dev");
            harness.request(exchange);
            assertThat(exchange.request().headers().all("x-env")).containsExactly("prod");
        }
    }

    @Test
    void requestEditsTouchOnlyTheNamedHeaders() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("request", Map.of(
                "remove", List.of("X-Debug"),
                "set", Map.of("X-Env", "prod"),
                "add", Map.of("Via", "1.1 gatehouse"))))) {
            TestExchange exchange = TestExchange.get("/")
                    .header("X-Debug", "1")
                    .header("Via", "1.1 cdn")
                    .header("Accept", "*/*")
                    .header("X-DEBUG", "2");
            harness.request(exchange);
            assertThat(dump(exchange.request().headers()))
                    .containsExactly("Host: localhost", "Via: 1.1 cdn", "Accept: */*", "X-Env: prod", "Via: 1.1 gatehouse");
        }
    }

    @Test
    void requestEditsDoNotTouchTheResponse() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("request", Map.of("set", Map.of("X-A", "1"))))) {
            TestExchange exchange = TestExchange.get("/").respondWith(200, "X-B", "2");
            harness.response(exchange);
            assertThat(dump(exchange.response().orElseThrow().headers())).containsExactly("X-B: 2");
            assertThat(exchange.request().headers().contains("X-A")).isFalse();
        }
    }

    @Test
    void responseEditsApplyInOnResponseOnly() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("response", Map.of(
                "remove", "Server",
                "set", Map.of("Cache-Control", "no-store"),
                "add", Map.of("Strict-Transport-Security", "max-age=63072000"))))) {
            TestExchange exchange = TestExchange.get("/").header("Server", "client-sent");
            harness.request(exchange);
            assertThat(exchange.request().headers().first("Server")).contains("client-sent");
            assertThat(exchange.request().headers().contains("Cache-Control")).isFalse();

            exchange.respondWith(200, "Server", "nginx", "Cache-Control", "max-age=60", "cache-control", "public",
                    "Content-Type", "text/html");
            FilterResult result = harness.response(exchange);
            assertThat(result.proceeds()).isTrue();
            var headers = exchange.response().orElseThrow().headers();
            assertThat(headers.contains("server")).isFalse();
            assertThat(headers.all("cache-control")).containsExactly("no-store");
            assertThat(headers.first("Strict-Transport-Security")).contains("max-age=63072000");
            assertThat(headers.first("Content-Type")).contains("text/html");
            assertThat(headers.size()).isEqualTo(3);
            assertThat(exchange.response().orElseThrow().status()).isEqualTo(200);
        }
    }

    @Test
    void addKeepsExistingFields() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("response", Map.of("add", Map.of("Vary", "Origin"))))) {
            TestExchange exchange = TestExchange.get("/").respondWith(200, "Vary", "Accept-Encoding");
            harness.response(exchange);
            assertThat(exchange.response().orElseThrow().headers().all("vary")).containsExactly("Accept-Encoding", "Origin");
        }
    }

    @Test
    void numericAndBooleanValuesBecomeText() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("request", Map.of("set", Map.of("X-Num", 42, "X-Flag", true))))) {
            TestExchange exchange = TestExchange.get("/");
            harness.request(exchange);
            assertThat(exchange.request().headers().first("X-Num")).contains("42");
            assertThat(exchange.request().headers().first("X-Flag")).contains("true");
        }
    }

    @Test
    void unknownTopLevelKeyIsRejected() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(Map.of("requests", Map.of())));
        assertThat(e).hasMessageStartingWith("filters[0].config.requests");
        assertThat(e.key()).isEqualTo("filters[0].config.requests");
        assertThat(e).hasMessageContaining("unknown key");
    }

    @Test
    void unknownSectionKeyIsRejected() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("response", Map.of("delete", List.of("Server")))));
        assertThat(e.key()).isEqualTo("filters[0].config.response.delete");
        assertThat(e).hasMessageStartingWith("filters[0].config.response.delete: unknown key");
    }

    @Test
    void invalidHeaderNameInSetNamesTheKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("request", Map.of("set", Map.of("Bad Name", "v")))));
        assertThat(e.key()).isEqualTo("filters[0].config.request.set.Bad Name");
        assertThat(e).hasMessageStartingWith("filters[0].config.request.set.Bad Name: ");
    }

    @Test
    void invalidValueInAddNamesTheKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("response", Map.of("add", Map.of("X-A", "a\r\nSet-Cookie: x")))));
        assertThat(e.key()).isEqualTo("filters[0].config.response.add.X-A");
    }

    @Test
    void invalidNameInRemoveNamesTheIndex() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("request", Map.of("remove", List.of("X-Ok", "X:Bad")))));
        assertThat(e.key()).isEqualTo("filters[0].config.request.remove[1]");
    }

    @Test
    void sectionMustBeAMap() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(Map.of("request", "X-A")));
        assertThat(e.key()).isEqualTo("filters[0].config.request");
        ConfigException set = catchThrowableOfType(ConfigException.class,
                () -> parse(Map.of("request", Map.of("set", List.of("X-A")))));
        assertThat(set.key()).isEqualTo("filters[0].config.request.set");
    }

    @Test
    void harnessPropagatesConfigErrors() {
        assertThatThrownBy(() -> FilterHarness.of(factory, Map.of("bogus", 1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.bogus");
    }

    @Test
    void headerEditsAreImmutableCopies() {
        List<String> remove = new ArrayList<>(List.of("X-A"));
        HeaderEdits edits = new HeaderEdits(remove, Map.of(), Map.of());
        remove.add("X-B");
        assertThat(edits.remove()).containsExactly("X-A");
        assertThatThrownBy(() -> edits.remove().add("X-C")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void filterIsStatelessAcrossExchanges() {
        try (FilterHarness harness = FilterHarness.of(factory, Map.of("request", Map.of("add", Map.of("X-Hop", "1"))))) {
            TestExchange first = TestExchange.get("/1");
            TestExchange second = TestExchange.get("/2");
            harness.request(first);
            harness.request(second);
            assertThat(first.request().headers().all("X-Hop")).containsExactly("1");
            assertThat(second.request().headers().all("X-Hop")).containsExactly("1");
        }
    }

    @Test
    void extensionIndexListsTheFactory() throws IOException {
        // getClass().getResource("/META-INF/extensions.idx") finds target/test-classes first, where the
        // PF4J annotation processor (also run by testCompile) writes an index without entries; so pick
        // the index that sits next to the factory's own classes (target/classes or the plugin jar).
        assertThat(getClass().getResource("/META-INF/extensions.idx")).isNotNull();
        String home = HeadersFilterFactory.class.getProtectionDomain().getCodeSource().getLocation().toString();
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
            assertThat(lines).contains("io.gatehouse.plugins.headers.HeadersFilterFactory");
            assertThat(lines).contains(HeadersFilterFactory.class.getName());
        }
    }
}
