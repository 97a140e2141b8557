package io.gatehouse.plugins.requestlimits;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Response;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestLimitsFilterTest {

    static final Map<String, Object> UPLOADS = Map.of("max-body", "1KiB", "methods", List.of("GET", "POST", "PUT"),
            "required-headers", List.of("X-Tenant", "X-Request-Id"));

    private static Response refused(FilterResult result, int status) {
        assertThat(result.proceeds()).isFalse();
        Response response = result.response().orElseThrow();
        assertThat(response.status()).isEqualTo(status);
        return response;
    }

    private static String body(Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static TestExchange post(long length) {
        return TestExchange.request("POST", "/upload").header("X-Tenant", "acme").header("X-Request-Id", "r1").bodyLength(length);
    }

    @Test
    void aRequestWithinEveryLimitProceeds() {
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), UPLOADS)) {
            assertThat(harness.request(post(1024)).proceeds()).isTrue();
            assertThat(harness.request(post(0)).proceeds()).isTrue();
            assertThat(harness.request(TestExchange.request("HEAD", "/").header("X-Tenant", "a").header("X-Request-Id", "r")).proceeds())
                    .as("GET allows HEAD, as in nginx").isTrue();
        }
    }

    @Test
    void aContentLengthOverTheLimitGets413() {
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), UPLOADS)) {
            assertThat(body(refused(harness.request(post(1025)), 413))).isEqualTo("request body larger than 1024 bytes\n");
            assertThat(harness.metrics().count("refused", "reason", "body")).isEqualTo(1);
        }
    }

    @Test
    void aChunkedBodyGets411UnlessAllowed() {
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), UPLOADS)) {
            TestExchange chunked = TestExchange.request("POST", "/upload").header("X-Tenant", "acme").header("X-Request-Id", "r1")
                    .bodyLength(-1);
            assertThat(chunked.request().bodyLength()).as("a chunked body").isEmpty();
            assertThat(body(refused(harness.request(chunked), 411))).isEqualTo("a request body needs a Content-Length here\n");
        }
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), Map.of("max-body", "1KiB", "chunked", "allow"))) {
            assertThat(harness.request(TestExchange.request("POST", "/upload").bodyLength(-1)).proceeds()).isTrue();
            assertThat(harness.request(TestExchange.request("POST", "/upload").bodyLength(2048)).proceeds()).isFalse();
        }
    }

    @Test
    void aMethodNotListedGets405WithAllow() {
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), UPLOADS)) {
            for (String method : List.of("DELETE", "post", "OPTIONS")) {
                Response response = refused(harness.request(TestExchange.request(method, "/upload").bodyLength(0)), 405);
                assertThat(response.headers().first("Allow")).contains("GET, POST, PUT");
            }
            assertThat(harness.metrics().count("refused", "reason", "method")).isEqualTo(3);
        }
    }

    @Test
    void aMissingOrEmptyRequiredHeaderGets400NamingIt() {
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), UPLOADS)) {
            TestExchange noTenant = TestExchange.request("POST", "/upload").header("X-Request-Id", "r1").bodyLength(10);
            assertThat(body(refused(harness.request(noTenant), 400))).isEqualTo("missing required header X-Tenant\n");
            TestExchange emptyId = TestExchange.request("POST", "/upload").header("x-tenant", "acme").header("X-Request-Id", " ").bodyLength(10);
            assertThat(body(refused(harness.request(emptyId), 400))).isEqualTo("missing required header X-Request-Id\n");
            assertThat(harness.metrics().count("refused", "reason", "header")).isEqualTo(2);
        }
    }

    @Test
    void theMethodIsCheckedFirstThenHeadersThenTheBody() {
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), UPLOADS)) {
            refused(harness.request(TestExchange.request("PATCH", "/").bodyLength(1 << 20)), 405);
            refused(harness.request(TestExchange.request("POST", "/").bodyLength(1 << 20)), 400);
        }
    }

    @Test
    void explainSaysWhatWouldBeAnsweredWithoutCounting() {
        try (FilterHarness harness = FilterHarness.of(new RequestLimitsFilterFactory(), UPLOADS)) {
            TestExchange exchange = TestExchange.request("DELETE", "/upload");
            assertThat(harness.filter().explain(exchange)).containsExactly("refused with 405: method not allowed here");
            assertThat(exchange.attribute(Keys.EXPLAINED_ANSWER)).contains(405);
            assertThat(harness.metrics().count("refused", "reason", "method")).isZero();
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                        | filters[0].config.max-body: give at least one of max-body, methods, required-headers",
            "{max-body: -1}                            | filters[0].config.max-body",
            "{max-body: lots}                          | filters[0].config.max-body",
            "{methods: [GET, 'BAD METHOD']}            | filters[0].config.methods[1]: not a token",
            "{required-headers: ['X Tenant']}          | filters[0].config.required-headers[0]: not a token",
            "{methods: [GET], chunked: allow}          | filters[0].config.chunked: only means something with max-body",
            "{max-body: 1KiB, chunked: stream}         | filters[0].config.chunked",
            "{max-body: 1KiB, max-size: 2KiB}          | filters[0].config.max-size"})
    void badConfigsAreRefusedNamingTheKey(String yaml, String message) {
        Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load(yaml);
        assertThatThrownBy(() -> FilterHarness.of(new RequestLimitsFilterFactory(), config))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
