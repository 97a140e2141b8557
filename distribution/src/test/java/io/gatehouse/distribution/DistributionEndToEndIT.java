package io.gatehouse.distribution;

import io.gatehouse.testkit.GatehouseProcess;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the built distribution's {@code bin/gatehouse} as a process, with the bundled plugins
 * enabled, and sends real traffic through it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DistributionEndToEndIT {

    private static final Path HOME = Path.of(System.getProperty("gatehouse.home", "target/gatehouse-unknown"));

    @TempDir
    Path dir;

    private static ProcessBuilder gatehouse(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(HOME.resolve("bin/gatehouse").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "-Xmx256m");
        return builder;
    }

    /** Runs to the end; returns stdout for exit code 0, stderr otherwise. */
    private static String run(ProcessBuilder builder, int expectedExit) throws Exception {
        Process process = builder.redirectErrorStream(false).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String errors = stderr.get(10, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as(stdout + errors).isEqualTo(expectedExit);
        return expectedExit == 0 ? stdout : errors;
    }

    @Test
    void layoutIsComplete() {
        assertThat(HOME.resolve("bin/gatehouse")).isExecutable();
        assertThat(HOME.resolve("conf/gatehouse.yaml")).isRegularFile();
        assertThat(HOME.resolve("lib/proxy-server-" + version() + ".jar")).isRegularFile();
        // the metrics (admin /metrics): Micrometer and its Prometheus registry with their runtime dependencies
        assertThat(HOME.resolve("lib")).isDirectoryContaining("glob:**/micrometer-core-*.jar")
                .isDirectoryContaining("glob:**/micrometer-registry-prometheus-*.jar")
                .isDirectoryContaining("glob:**/prometheus-metrics-exposition-textformats-*.jar");
        assertThat(HOME.resolve("plugins/plugin-headers-" + version() + ".zip")).isRegularFile();
        assertThat(HOME.resolve("plugins/plugin-static-response-" + version() + ".zip")).isRegularFile();
        assertThat(HOME.resolve("plugins/plugin-router-" + version() + ".zip")).isRegularFile();
        assertThat(HOME.resolve("plugins/plugin-rate-limit-" + version() + ".zip")).isRegularFile();
        assertThat(HOME.resolve("plugins/plugin-tracing-" + version() + ".zip")).isRegularFile();
        assertThat(HOME.resolve("lib").toFile().list()).as("plugin libraries stay in their archives")
                .noneMatch(jar -> jar.startsWith("lettuce-") || jar.startsWith("netty-") || jar.startsWith("reactor-")
                        || jar.startsWith("caffeine-") || jar.startsWith("error_prone") || jar.startsWith("nimbus-") || jar.startsWith("bc")
                        || jar.startsWith("opentelemetry-"));
        assertThat(HOME.resolve("logs")).isDirectory();
        // a README for the unpacked tree (not the repository's, which is about building), and the docs
        assertThat(HOME.resolve("README.md")).content().contains("# Gatehouse " + version(), "bin/gatehouse", "docs/configuration.md")
                .doesNotContain("mvn ");
        assertThat(HOME.resolve("docs/configuration.md")).isRegularFile();
        assertThat(HOME.resolve("docs/getting-started.md")).isRegularFile();
        assertThat(HOME.resolve("docs/img/dashboard.png")).as("the observability guide's screenshot").isRegularFile();
        assertThat(HOME.getParent().resolve("gatehouse-" + version() + ".tar.gz")).isRegularFile();
    }

    @Test
    void helpAndVersion() throws Exception {
        assertThat(run(gatehouse("--version"), 0)).isEqualTo("gatehouse " + version() + "\n");
        assertThat(run(gatehouse("--help"), 0)).contains("Usage: gatehouse [--config FILE]");
    }

    @Test
    void badConfigStopsWithOneLineAndExitCode2() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "server:\n  timeouts: { connect: soon }\n");

        String output = run(gatehouse("--config", config.toString()), 2);

        assertThat(output).isEqualTo("gatehouse: config error: server.timeouts.connect: expected a duration such as 500ms, 2s, 1m, got \"soon\"\n");
    }

    @Test
    void unknownFilterTypeAndBusyPortAreReported() throws Exception {
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, "plugins: { directory: \"" + HOME.resolve("plugins") + "\" }\nfilters: [ { type: nope } ]\n");
        assertThat(run(gatehouse("--config", unknown.toString()), 2))
                .startsWith("gatehouse: config error: filters[0].type: unknown filter type \"nope\" (available: ");

        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("busy.yaml");
            Files.writeString(config, "server: { listen: [\"127.0.0.1:" + busy.getLocalPort() + "\"] }\n");
            assertThat(run(gatehouse("--config", config.toString()), 2)).contains(
                    "gatehouse: config error: server.listen[0]: cannot listen on 127.0.0.1:" + busy.getLocalPort());
        }
    }

    @Test
    void explainPrintsTheRouteAndFiltersOfARequest() throws Exception {
        Path config = dir.resolve("routes.yaml");
        Files.writeString(config, String.join("\n",
                "plugins: { directory: \"" + HOME.resolve("plugins") + "\" }",
                "filters:",
                "  - type: router",
                "    config:",
                "      routes:",
                "        - { name: orders, host: api.example.com, path-prefix: /orders, strip-prefix: true, upstream: \"http://10.0.0.11:8080\", timeout: 5s }",
                "        - { name: canary, host: api.example.com, path-prefix: /orders, headers: { X-Canary: always }, upstream: \"http://10.0.0.12:8080\" }",
                "  - type: headers",
                "    when: { route: canary }",
                "    config: { request: { set: { X-Canary-Seen: \"yes\" } } }",
                ""));

        String output = run(gatehouse("explain", "--config", config.toString(), "GET", "http://API.example.com/a/../orders/17"), 0);

        assertThat(output.lines()).containsExactly(
                "request: GET http://API.example.com/a/../orders/17",
                "path normalised: /orders/17",
                "filter 0 router#0 (router): runs",
                "  host \"api.example.com\", path \"/orders/17\" (sent as \"/a/../orders/17\")",
                "  order: host exact > wildcard (longest) > any; then path exact > longest prefix > regex > any; then list order",
                "  route orders [host api.example.com, path-prefix /orders]: matches",
                "  chosen: route orders -> upstream http://10.0.0.11:8080, strip-prefix /orders, origin target /17, timeout 5s",
                "filter 1 headers#1 (headers): skipped, its when: does not hold",
                "result: route orders, cluster (none), origin target /17, response timeout 5s",
                "upstream: chosen by a filter");

        // The tie between the two /orders routes goes to the first listed, unless its conditions fail.
        Files.writeString(config, Files.readString(config).replace("- { name: orders,", "- { name: orders, methods: [POST],"));
        assertThat(run(gatehouse("explain", "--config", config.toString(), "GET", "http://api.example.com/orders/17",
                "-H", "X-Canary: always"), 0)).contains(
                "  route orders [host api.example.com, path-prefix /orders]: skipped, methods [POST] does not hold",
                "  route canary [host api.example.com, path-prefix /orders]: matches",
                "filter 1 headers#1 (headers): runs");

        assertThat(run(gatehouse("explain", "--config", config.toString(), "GET", "not-a-url"), 2))
                .startsWith("gatehouse explain: an absolute http:// or https:// URL is needed");
    }

    @Test
    void proxiesThroughTheBundledPluginsAndStopsCleanlyOnSigterm() throws Exception {
        try (TestOrigin origin = TestOrigin.start(request -> Reply.ok("origin saw " + request.header("X-From-Gatehouse").orElse("nothing")))) {
            Path config = dir.resolve("e2e.yaml");
            Files.writeString(config, String.join("\n",
                    "server:",
                    "  listen: [\"127.0.0.1:0\"]",
                    "  upstream: " + origin.url(),
                    "plugins: { directory: \"" + HOME.resolve("plugins") + "\" }",
                    "filters:",
                    "  - type: static-response",
                    "    when: { path-prefix: /healthz }",
                    "    config: { status: 200, body: ok }",
                    "  - type: headers",
                    "    config:",
                    "      request: { set: { X-From-Gatehouse: e2e } }",
                    "      response: { set: { X-Served-By: gatehouse } }",
                    ""));
            GatehouseProcess process = GatehouseProcess.start(gatehouse("--config", config.toString()));
            int exit;
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + process.awaitPort(Duration.ofSeconds(60));

                HttpResponse<String> proxied = client.send(HttpRequest.newBuilder(URI.create(base + "/hello"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(proxied.statusCode()).isEqualTo(200);
                assertThat(proxied.body()).isEqualTo("origin saw e2e");
                assertThat(proxied.headers().firstValue("X-Served-By")).hasValue("gatehouse");

                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).isEqualTo("ok");
                assertThat(origin.requests()).hasSize(1);
                // out of heap, the JVM exits (for a supervisor to restart it) rather than run on without serving
                assertThat(process.process().info().arguments().map(List::of).orElseThrow())
                        .contains("-XX:+ExitOnOutOfMemoryError");
            } finally {
                exit = process.terminate(Duration.ofSeconds(30));
            }
            assertThat(exit).as(process.output()).isEqualTo(0);
            assertThat(process.output()).contains("Gatehouse stopped");
        }
    }

    private static String version() {
        String name = HOME.getFileName().toString();
        return name.substring("gatehouse-".length());
    }
}
