package io.gatehouse.server.admin;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.reload.FileConfigSource;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin listener's JSON operations: token, config (redacted), plugins, chain, reload. */
class AdminOperationsIntegrationTest {

    private static final String TOKEN = "s3cr3t-admin-token-0123";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private TestOrigin origin;
    private GatehouseServer server;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        origin = TestOrigin.start(Reply.ok("origin"));
        file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, config("first"));
        FileConfigSource source = new FileConfigSource(new ConfigLoader(dir), file, UnaryOperator.identity());
        server = GatehouseServer.start(source.read(), List.of(new TestFilters.Mark()), Optional.of(source));
    }

    private String config(String label) {
        return """
                server: { listen: [ "127.0.0.1:0" ], upstream: "%s" }
                admin: { listen: "127.0.0.1:0", token: "%s" }
                filters:
                  - type: mark
                    name: marker
                    config: { label: %s, password: hunter2, api-key: abc, upstream-url: "redis://user:pw@cache:6379" }
                """.formatted(origin.url(), TOKEN, label);
    }

    @AfterEach
    void stop() {
        server.close();
        origin.close();
    }

    private HttpResponse<String> admin(String method, String path, Optional<String> token, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminAddress().orElseThrow().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).header("Accept", accept);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return admin(method, path, Optional.of(TOKEN), "application/json");
    }

    @Test
    void everyOperationNeedsTheTokenButTheProbes() throws Exception {
        assertThat(admin("GET", "/health", Optional.empty(), "*/*").body()).isEqualTo("ok\n");
        assertThat(admin("GET", "/ready", Optional.empty(), "application/json").body()).isEqualTo("{\"ready\":true,\"status\":\"ready\"}\n");
        for (String path : List.of("/config", "/plugins", "/chain", "/stats", "/metrics")) {
            assertThat(admin("GET", path, Optional.empty(), "*/*").statusCode()).as(path).isEqualTo(401);
            assertThat(admin("GET", path, Optional.of("wrong-token-0123456789"), "*/*").statusCode()).as(path).isEqualTo(401);
        }
        assertThat(admin("POST", "/reload", Optional.empty(), "*/*").statusCode()).isEqualTo(401);
        assertThat(admin("POST", "/drain", Optional.empty(), "*/*").statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/ready", Optional.empty(), "*/*").statusCode()).as("no drain happened").isEqualTo(200);
    }

    @Test
    void theEffectiveConfigHasItsSecretsRedacted() throws Exception {
        HttpResponse<String> config = admin("GET", "/config");

        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("\"label\":\"first\"", "\"password\":\"(redacted)\"", "\"api-key\":\"(redacted)\"",
                "\"token\":\"(redacted)\"", "redis://(redacted)@cache:6379")
                .doesNotContain("hunter2", TOKEN, "user:pw");
    }

    @Test
    void theChainAndTheEffectiveChainOfARequest() throws Exception {
        assertThat(admin("GET", "/chain").body()).isEqualTo("{\"filters\":[{\"index\":0,\"name\":\"marker\",\"type\":\"mark\",\"status\":null}]}\n");
        assertThat(admin("GET", "/chain", Optional.of(TOKEN), "*/*").body()).isEqualTo("0 marker (mark)\n");
        HttpResponse<String> explained = admin("GET", "/chain?url=" + URLEncoder.encode("http://example.com/a", StandardCharsets.UTF_8));
        assertThat(explained.body()).contains("\"request\":[", "request: GET http://example.com/a", "marker (mark)");
        assertThat(admin("GET", "/plugins").body()).isEqualTo("{\"plugins\":[]}\n");
    }

    @Test
    void reloadIsAPostAndAppliesTheFile() throws Exception {
        assertThat(admin("GET", "/reload").statusCode()).isEqualTo(405);
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).headers().allValues("X-Trail")).containsExactly("first");

        Files.writeString(file, config("second"));
        HttpResponse<String> reload = admin("POST", "/reload");

        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).startsWith("{\"status\":\"applied\",\"trigger\":\"admin\",\"restart_required\":[],"
                + "\"filters_created\":[\"marker\"],\"filters_carried_over\":[]");
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).headers().allValues("X-Trail")).containsExactly("second");
        assertThat(admin("GET", "/config").body()).contains("\"label\":\"second\"");
    }
}
