package io.gatehouse.distribution;

import io.gatehouse.testkit.GatehouseProcess;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The plugin developer guide's sequence, end to end: the project generated from the archetype
 * and built with its tests (by the archetype's own integration test, in plugin-archetype), its
 * archive dropped into an unpacked distribution's {@code plugins/}, the filter enabled in a
 * config, {@code bin/gatehouse} started, and the example filter seen acting on real requests.
 */
class ArchetypePluginEndToEndIT {

    private static final Path DIST = Path.of(System.getProperty("gatehouse.home", "target/gatehouse-unknown"));
    private static final Path GENERATED_ARCHIVE = Path.of(System.getProperty("archetype.plugin.archive", "none"));

    @TempDir
    Path dir;

    private Path home;

    @BeforeEach
    void unpackADistribution() throws IOException {
        assumeTrue(Files.isRegularFile(GENERATED_ARCHIVE),
                "the archetype's integration test did not run (tests skipped?): " + GENERATED_ARCHIVE);
        home = dir.resolve("gatehouse");
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(DIST.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private ProcessBuilder gatehouse(Path config) {
        ProcessBuilder builder = new ProcessBuilder(List.of(home.resolve("bin/gatehouse").toString(), "--config", config.toString()));
        builder.environment().put("JAVA_OPTS", "-Xmx256m");
        return builder;
    }

    private Path config(String upstream) throws IOException {
        Path config = home.resolve("conf/my-filter.yaml");
        Files.writeString(config, String.join("\n",
                "server:",
                "  listen: [\"127.0.0.1:0\"]",
                "  upstream: " + upstream,
                "filters:",
                "  - type: my-filter",
                "    config: { required-header: X-Team, response-header: X-Checked-By, response-value: my-filter }",
                ""));
        return config;
    }

    @Test
    void theGeneratedPluginDroppedIntoPluginsActsOnRealRequests() throws Exception {
        Files.copy(GENERATED_ARCHIVE, home.resolve("plugins").resolve(GENERATED_ARCHIVE.getFileName()));
        try (TestOrigin origin = TestOrigin.start(Reply.ok("origin reached"))) {
            GatehouseProcess process = GatehouseProcess.start(gatehouse(config(origin.url())));
            int exit;
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + process.awaitPort(Duration.ofSeconds(60));

                HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(refused.body()).isEqualTo("Bad Request: missing header X-Team\n");
                assertThat(origin.requests()).isEmpty();

                HttpResponse<String> passed = client.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                        .header("X-Team", "payments").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(passed.statusCode()).isEqualTo(200);
                assertThat(passed.body()).isEqualTo("origin reached");
                assertThat(passed.headers().firstValue("X-Checked-By")).hasValue("my-filter");
            } finally {
                exit = process.terminate(Duration.ofSeconds(30));
            }
            assertThat(exit).as(process.output()).isEqualTo(0);
            assertThat(process.output()).contains("Loaded plugin my-filter 1.0-SNAPSHOT");
        }
    }

    @Test
    void aPluginThatBundlesTheApiIsRefusedAtStartUpWithAClearMessage() throws Exception {
        Path apiJar;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            apiJar = lib.filter(p -> p.getFileName().toString().startsWith("proxy-api-")).findFirst().orElseThrow();
        }
        Path broken = home.resolve("plugins/my-filter-bundling-api-plugin.zip");
        copyWithExtraEntry(GENERATED_ARCHIVE, broken, "lib/" + apiJar.getFileName(), apiJar);

        Process process = gatehouse(config("http://127.0.0.1:9")).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();

        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("gatehouse: config error: " + broken
                + ": plugin my-filter bundles its own copy of the Gatehouse API (io.gatehouse.api); declare proxy-api and pf4j with <scope>provided</scope>");
    }

    private static void copyWithExtraEntry(Path zip, Path target, String entryName, Path content) throws IOException {
        try (ZipFile source = new ZipFile(zip.toFile()); OutputStream file = Files.newOutputStream(target);
             ZipOutputStream out = new ZipOutputStream(file)) {
            source.stream().forEach(entry -> {
                try {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    source.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.putNextEntry(new ZipEntry(entryName));
            Files.copy(content, out);
            out.closeEntry();
        }
    }
}
