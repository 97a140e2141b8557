package io.gatehouse.server.chain;

import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.server.config.WhenSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionTest {

    @ParameterizedTest
    @CsvSource({
        "/api, /api, true", "/api, /api/x, true", "/api, /apix, false", "/api/, /api/x, true",
        "/api, /, false", "/, /anything, true", "/a/b, /a/b/c, true", "/a/b, /a/bc, false"})
    void pathPrefixMatchesOnSegmentBoundaries(String prefix, String path, boolean expected) {
        assertThat(Condition.matchesPrefix(prefix, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "api.example.com, api.example.com, true", "api.example.com, API.Example.COM, true",
        "api.example.com, api.example.com., true", "api.example.com, other.example.com, false",
        "*.example.com, a.example.com, true", "*.example.com, a.b.example.com, true",
        "*.example.com, example.com, false", "*.example.com, badexample.com, false"})
    void hostMatchesExactlyOrByWildcard(String pattern, String host, boolean expected) {
        assertThat(Condition.matchesHost(pattern, host)).isEqualTo(expected);
    }

    @Test
    void everyPartMustHold() {
        Condition condition = Condition.compile(new WhenSpec(List.of("public"), List.of("*.example.com"), List.of("/v1"),
                List.of("get"), Map.of("X-Beta", "*")));
        TestExchange exchange = TestExchange.get("/v1/users").header("X-Beta", "1").header("Host", "api.example.com:8080");
        exchange.setRoute("public");

        assertThat(condition.test(exchange)).isTrue();
        exchange.setRoute("internal");
        assertThat(condition.test(exchange)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin", "/admin/x", "/x/../admin", "//admin", "/%61dmin", "/admin;x", "/admin;x/y", "/./admin/",
            "/public/%2e%2e/admin", "/public/..;x/admin"})
    void everySpellingOfAPathIsMatchedInItsNormalForm(String target) {
        Condition condition = prefix("/admin");

        assertThat(condition.test(TestExchange.get(target))).isTrue();
        TestExchange rewritten = TestExchange.get("/other");
        rewritten.request().setTarget(target); // a filter's target is taken as written, and still matched in normal form
        assertThat(condition.test(rewritten)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/adminx", "/public/admin", "/%2e%2e/admin", "/admin%2Fx", "/ADMIN", "/a/../dmin"})
    void otherPathsAreNotMatched(String target) {
        TestExchange exchange = TestExchange.get("/other");
        exchange.request().setTarget(target);

        assertThat(prefix("/admin").test(exchange)).isFalse();
    }

    @Test
    void configuredPrefixesAreNormalisedAndATrailingSlashCoversTheBarePath() {
        assertThat(prefix("/%61dmin/").test(TestExchange.get("/admin"))).isTrue();
        assertThat(prefix("//admin/./").test(TestExchange.get("/admin/x"))).isTrue();
        assertThat(prefix("/admin/").test(TestExchange.get("/adminx"))).isFalse();
        assertThat(prefix("/").test(TestExchange.get("/anything"))).isTrue();
        assertThat(prefix("/").test(TestExchange.request("OPTIONS", "*"))).isFalse();
    }

    private static Condition prefix(String prefix) {
        return Condition.compile(new WhenSpec(List.of(), List.of(), List.of(prefix), List.of(), Map.of()));
    }

    @Test
    void headerValueMustMatchExactly() {
        Condition condition = Condition.compile(new WhenSpec(List.of(), List.of(), List.of(), List.of(), Map.of("X-Env", "prod")));

        assertThat(condition.test(TestExchange.get("/").header("X-Env", "prod"))).isTrue();
        assertThat(condition.test(TestExchange.get("/").header("X-Env", "production"))).isFalse();
        assertThat(condition.test(TestExchange.get("/"))).isFalse();
    }

    @Test
    void emptyConditionAlwaysHolds() {
        assertThat(Condition.compile(WhenSpec.ALWAYS).test(TestExchange.get("/"))).isTrue();
        assertThat(Condition.compile(WhenSpec.ALWAYS)).isSameAs(Condition.always());
    }
}
