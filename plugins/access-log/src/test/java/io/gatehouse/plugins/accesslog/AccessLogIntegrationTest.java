package io.gatehouse.plugins.accesslog;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Gatehouse with the access log first in the chain: the lines of a normal exchange, a
 * short-circuit, a proxy-made error and a client that left, in the JSON and combined formats.
 */
class AccessLogIntegrationTest {

    /** Combined, then the request id: client - user [time] "request" status bytes "referer" "agent" "id". */
    private static final Pattern COMBINED = Pattern.compile("^(\\S+) - (\\S+) \\[([^\\]]+)\\] \"(\\S+) (\\S+) (\\S+)\" (\\d+) (\\S+) "
            + "\"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\"$");

    @TempDir
    Path logs;

    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;
    private final Tags tags = new Tags();

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    /** {@code tags}: names the consumer, cache status, canary side and route as other plugins would; answers /deny with 403. */
    static final class Tags implements ProxyFilterFactory<String> {
        final CountDownLatch uploadSeen = new CountDownLatch(1);

        @Override
        public String type() {
            return "tags";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return exchange -> onRequest(exchange);
        }

        private CompletionStage<FilterResult> onRequest(Exchange exchange) {
            exchange.setAttribute(Keys.CONSUMER, "alice");
            exchange.setAttribute(Keys.CACHE_STATUS, "Gatehouse; fwd=uri-miss");
            exchange.setAttribute(Keys.CANARY_SIDE, "api-canary");
            exchange.setRoute("api");
            if (exchange.request().path().equals("/upload")) {
                uploadSeen.countDown();
            }
            return exchange.request().path().equals("/deny") ? FilterResult.respond(Response.text(403, "denied\n"))
                    : FilterResult.proceed();
        }
    }

    private Path start(String format) {
        Path file = logs.resolve("sub/access.log");
        origin = TestOrigin.start(request -> request.path().equals("/drop") ? Reply.drop() : Reply.ok("hello"));
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters:\n"
                        + "  - type: access-log\n"
                        + "    config:\n"
                        + "      format: " + format + "\n"
                        + "      time-zone: UTC\n"
                        + "      file: { path: \"" + file + "\" }\n"
                        + "      redact: { query-params: [token], headers: [User-Agent] }\n"
                        + "  - type: tags\n")
                .filters(new AccessLogFilterFactory(), tags).upstream(origin).start();
        return file;
    }

    /** Sends the four exchanges; returns the request ids the client got, by path. */
    private Map<String, String> sendFourKinds() throws InterruptedException {
        Map<String, String> ids = new HashMap<>();
        ids.put("/ok", requestId(send("GET /ok?token=s3cret&x=1 HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: probe/1.0\r\n"
                + "Referer: http://ref.example/\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n")));
        ids.put("/deny", requestId(send("GET /deny HTTP/1.1\r\nHost: shop.example\r\n\r\n")));
        ids.put("/drop", requestId(send("GET /drop HTTP/1.1\r\nHost: shop.example\r\n\r\n")));
        try (RawConnection raw = gatehouse.raw()) {
            raw.send("POST /upload HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 100\r\n\r\n0123456789");
            assertThat(tags.uploadSeen.await(10, TimeUnit.SECONDS)).isTrue();
        } // the client leaves with 90 bytes of its body unsent
        return ids;
    }

    private String send(String request) {
        try (RawConnection raw = gatehouse.raw()) {
            return raw.send(request).readResponse();
        }
    }

    private static String requestId(String response) {
        Matcher m = Pattern.compile("(?im)^X-Request-Id: *(\\S+)\\s*$").matcher(response);
        assertThat(m.find()).as(response).isTrue();
        return m.group(1);
    }

    private static List<String> awaitLines(Path file, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && read(file).size() >= count);
        return read(file);
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void jsonLinesForANormalAShortCircuitedAFailedAndAnAbortedExchange() throws Exception {
        Path file = start("json");
        Map<String, String> ids = sendFourKinds();

        List<String> lines = awaitLines(file, 4);
        assertThat(lines).hasSize(4);
        Map<String, JsonObject> byPath = new HashMap<>();
        for (String line : lines) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            byPath.put(json.get("path").getAsString(), json);
        }

        JsonObject ok = byPath.get("/ok");
        assertThat(ok.get("id").getAsString()).isEqualTo(ids.get("/ok"));
        assertThat(ok.get("status").getAsInt()).isEqualTo(200);
        assertThat(ok.get("method").getAsString()).isEqualTo("GET");
        assertThat(ok.get("query").getAsString()).isEqualTo("token=REDACTED&x=1");
        assertThat(ok.get("client").getAsString()).isEqualTo("127.0.0.1");
        assertThat(ok.get("bytes_out").getAsLong()).isEqualTo(5);
        assertThat(ok.get("bytes_in").getAsLong()).isZero();
        assertThat(ok.get("duration_ms").getAsDouble()).isGreaterThanOrEqualTo(0);
        assertThat(ok.get("upstream").getAsString()).isEqualTo("http://127.0.0.1:" + origin.port());
        assertThat(ok.get("attempts").getAsInt()).isEqualTo(1);
        assertThat(ok.get("route").getAsString()).isEqualTo("api");
        assertThat(ok.get("cluster").isJsonNull()).isTrue();
        assertThat(ok.get("cache_status").getAsString()).isEqualTo("Gatehouse; fwd=uri-miss");
        assertThat(ok.get("canary_side").getAsString()).isEqualTo("api-canary");
        assertThat(ok.get("consumer").getAsString()).isEqualTo("alice");
        assertThat(ok.get("user_agent").getAsString()).isEqualTo("REDACTED");
        assertThat(ok.get("referer").getAsString()).isEqualTo("http://ref.example/");
        assertThat(ok.get("trace_id").getAsString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(ok.get("upstream_time_ms").getAsDouble()).isPositive().isLessThanOrEqualTo(ok.get("duration_ms").getAsDouble());
        assertThat(ok.get("outcome").getAsString()).isEqualTo("completed");
        assertThat(ok.get("detail").isJsonNull()).isTrue();
        assertThat(ok.get("time").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(ok.get("exchange").getAsString()).isNotEqualTo(ids.get("/ok"));

        JsonObject deny = byPath.get("/deny");
        assertThat(deny.get("status").getAsInt()).isEqualTo(403);
        assertThat(deny.get("id").getAsString()).isEqualTo(ids.get("/deny"));
        assertThat(deny.get("attempts").getAsInt()).isZero();
        assertThat(deny.get("upstream").isJsonNull()).isTrue();
        assertThat(deny.get("trace_id").getAsString()).as("started by the server without traceparent")
                .matches("[0-9a-f]{32}").isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

        JsonObject drop = byPath.get("/drop");
        assertThat(drop.get("status").getAsInt()).isEqualTo(502);
        assertThat(drop.get("id").getAsString()).isEqualTo(ids.get("/drop"));
        assertThat(drop.get("detail").getAsString()).isEqualTo("upstream_reset");

        JsonObject upload = byPath.get("/upload");
        assertThat(upload.get("outcome").getAsString()).isEqualTo("aborted");
        assertThat(upload.get("status").getAsInt()).isZero();
        assertThat(upload.get("method").getAsString()).isEqualTo("POST");
        assertThat(upload.get("id").getAsString()).isNotBlank();
        assertThat(upload.get("bytes_in").getAsLong()).isEqualTo(10);

        assertThat(gatehouse.status("access-log#0")).hasValueSatisfying(s -> assertThat(s).contains("4 written", "0 dropped"));
    }

    @Test
    void combinedLinesForTheSameFourKinds() throws Exception {
        Path file = start("combined");
        Map<String, String> ids = sendFourKinds();

        List<String> lines = awaitLines(file, 4);
        assertThat(lines).hasSize(4);
        Map<String, Matcher> byPath = new HashMap<>();
        for (String line : lines) {
            Matcher m = COMBINED.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            byPath.put(m.group(5).replaceAll("\\?.*", ""), m);
        }

        Matcher ok = byPath.get("/ok");
        assertThat(ok.group(1)).isEqualTo("127.0.0.1");
        assertThat(ok.group(2)).isEqualTo("alice");
        assertThat(ok.group(3)).matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000");
        assertThat(ok.group(4) + " " + ok.group(5) + " " + ok.group(6)).isEqualTo("GET /ok?token=REDACTED&x=1 HTTP/1.1");
        assertThat(ok.group(7)).isEqualTo("200");
        assertThat(ok.group(8)).isEqualTo("5");
        assertThat(ok.group(9)).isEqualTo("http://ref.example/");
        assertThat(ok.group(10)).isEqualTo("REDACTED");
        assertThat(ok.group(11)).isEqualTo(ids.get("/ok"));

        assertThat(byPath.get("/deny").group(7)).isEqualTo("403");
        assertThat(byPath.get("/deny").group(11)).isEqualTo(ids.get("/deny"));
        assertThat(byPath.get("/drop").group(7)).isEqualTo("502");
        assertThat(byPath.get("/drop").group(11)).isEqualTo(ids.get("/drop"));
        assertThat(byPath.get("/upload").group(7)).isEqualTo("0");
        assertThat(byPath.get("/upload").group(8)).isEqualTo("-");
    }

    @Test
    void aPatternNamesFieldsAndHeaders() {
        Path file = logs.resolve("pattern.log");
        origin = TestOrigin.start(Reply.ok("hello").header("X-Served-By", "origin-1"));
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters:\n  - type: access-log\n    config:\n      format: pattern\n"
                        + "      pattern: '${id} ${method} ${path} ${status} ${resp:X-Served-By} ${req:Authorization} $$'\n"
                        + "      redact: { headers: [Authorization] }\n"
                        + "      file: { path: \"" + file + "\" }\n")
                .filters(new AccessLogFilterFactory()).upstream(origin).start();
        String id = requestId(send("GET /p HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer secret\r\n\r\n"));

        assertThat(awaitLines(file, 1)).containsExactly(id + " GET /p 200 origin-1 REDACTED $");
    }
}
