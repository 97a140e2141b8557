package io.gatehouse.distribution;

import io.gatehouse.testkit.GatehouseProcess;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.BeforeEach;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An installation that must not be written to (owned by root, run as another user) runs with its
 * two writable directories, the logs ({@code GATEHOUSE_LOG_DIR}) and the unpacked plugin archives
 * ({@code plugins.work-directory}), pointed elsewhere; and a directory that cannot be written is
 * reported in one line.
 */
@Timeout(180)
class ReadOnlyInstallIT {

    private static final Path HOME = Path.of(System.getProperty("gatehouse.home", "target/gatehouse-unknown"));

    @TempDir
    Path dir;
    private Path install;

    /** A fresh copy of the installation as unpacked from the tarball: archives only, no logs. */
    @BeforeEach
    void unpack() throws IOException {
        install = dir.resolve("opt/gatehouse");
        try (Stream<Path> files = Files.walk(HOME)) {
            for (Path source : files.toList()) {
                Path relative = HOME.relativize(source);
                boolean unpackedPlugin = relative.startsWith("plugins") && relative.getNameCount() > 1
                        && !relative.getName(1).toString().endsWith(".zip");
                if (relative.startsWith("logs") || unpackedPlugin) {
                    continue;
                }
                Path target = install.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private ProcessBuilder gatehouse(Path logDir, String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(install.resolve("bin/gatehouse").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "-Xmx256m");
        builder.environment().put("GATEHOUSE_LOG_DIR", logDir.toString());
        return builder;
    }

    private Path config(Path workDirectory, String upstream) throws IOException {
        Path config = dir.resolve("gatehouse.yaml");
        Files.writeString(config, String.join("\n",
                "server:",
                "  listen: [\"127.0.0.1:0\"]",
                "  upstream: " + upstream,
                "plugins:",
                "  directory: \"" + install.resolve("plugins") + "\"",
                "  work-directory: \"" + workDirectory + "\"",
                "filters:",
                "  - type: headers",
                "    config: { request: { set: { X-Via-Plugin: yes-it-ran } } }",
                ""));
        return config;
    }

    private Set<String> installedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(install)) {
            return files.map(p -> install.relativize(p).toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void runsWithoutWritingIntoTheInstallation() throws Exception {
        Set<String> before = installedFiles();
        Path logs = dir.resolve("var/log/gatehouse");
        Path work = dir.resolve("var/lib/gatehouse/plugins");
        try (TestOrigin origin = TestOrigin.start(request -> Reply.ok("origin saw " + request.header("X-Via-Plugin").orElse("nothing")))) {
            GatehouseProcess process = GatehouseProcess.start(gatehouse(logs, "--config", config(work, origin.url()).toString()));
            try {
                String base = "http://127.0.0.1:" + process.awaitPort(Duration.ofSeconds(60));
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo("origin saw yes-it-ran");
            } finally {
                assertThat(process.terminate(Duration.ofSeconds(30))).as(process.output()).isZero();
            }
        }

        assertThat(installedFiles()).as("nothing written into the installation").isEqualTo(before);
        assertThat(logs.resolve("gatehouse.log")).isNotEmptyFile();
        try (Stream<Path> unpacked = Files.list(work)) {
            assertThat(unpacked.map(p -> p.getFileName().toString())).anyMatch(name -> name.startsWith("plugin-headers"));
        }
    }

    @Test
    void directoriesThatCannotBeWrittenAreReportedInOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        Process logs = gatehouse(file.resolve("logs"), "--config", config(dir.resolve("work"), "http://127.0.0.1:9").toString())
                .redirectErrorStream(false).start();
        assertThat(logs.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(logs.exitValue()).isEqualTo(2);
        assertThat(new String(logs.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("gatehouse: cannot write logs to "
                + file.resolve("logs") + ": set GATEHOUSE_LOG_DIR to a writable directory\n");

        Process work = gatehouse(dir.resolve("logs"), "--config", config(file.resolve("work"), "http://127.0.0.1:9").toString())
                .redirectErrorStream(false).start();
        assertThat(work.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(work.exitValue()).isEqualTo(2);
        assertThat(new String(work.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("gatehouse: config error: "
                + "plugins.work-directory: cannot unpack plugin archives into " + file.resolve("work")
                + ": it is not writable; point plugins.work-directory at a writable directory\n");
    }
}
