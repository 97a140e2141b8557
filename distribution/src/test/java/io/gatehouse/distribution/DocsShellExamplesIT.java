package io.gatehouse.distribution;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Every shell example of the documentation runs against this distribution, or its page marks it
 * {@code <!-- docs-test: skip -->} (a build command, a path of the reader's machine): so a
 * documented command line cannot drift from what {@code bin/gatehouse} accepts. Each block runs in
 * its own copy of the installation whose default ports (8080, 9000, 9901) are replaced by free
 * ones, line by line: {@code bin/gatehouse explain ...} must exit 0 and print something;
 * {@code bin/gatehouse [OPTIONS]} must start and answer HTTP on the listener (it is stopped
 * before the next start and at the end); {@code curl ... localhost:8080 ...} must reach the
 * instance started before it. Any other line fails the test, naming the page and line.
 */
class DocsShellExamplesIT {

    private static final Path HOME = Path.of(System.getProperty("gatehouse.home", "target/gatehouse-unknown"));
    private static final Pattern LAUNCHER = Pattern.compile("^((?:[A-Z_]+=\\S+ )*)(?:\\S*/)?bin/gatehouse(.*)$");
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> everyShellExampleRunsOrIsMarkedAsNotRunnable() throws IOException {
        List<DocsBlocks.Block> blocks = new ArrayList<>();
        for (Path page : DocsBlocks.pages()) {
            DocsBlocks.of(page, "sh").stream().filter(block -> !block.skipped()).forEach(blocks::add);
        }
        assertThat(blocks).as("runnable shell examples found").hasSizeGreaterThanOrEqualTo(3);
        return blocks.stream().map(block -> DynamicTest.dynamicTest(block.toString(), () -> run(block)));
    }

    /** The block's commands: continuation lines joined, comments and blank lines left out. */
    static List<String> commands(String block) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String command = withoutComment(current.toString()).strip().replaceAll("\\s+", " ");
            if (!command.isEmpty()) {
                commands.add(command);
            }
            current.setLength(0);
        }
        return commands;
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf(" #");
        return line.startsWith("#") ? "" : hash < 0 ? line : line.substring(0, hash);
    }

    private static void run(DocsBlocks.Block block) throws Exception {
        Installation installation = Installation.copy(HOME, dir.resolve("block-" + block.line() + "-" + block.file().getFileName()));
        Optional<Process> running = Optional.empty();
        try {
            for (String command : commands(block.text())) {
                Matcher launcher = LAUNCHER.matcher(command);
                if (launcher.matches() && launcher.group(2).startsWith(" explain")) {
                    String output = installation.runToEnd(launcher.group(1) + "bin/gatehouse" + launcher.group(2));
                    assertThat(output).as(block + ": " + command).isNotBlank();
                } else if (launcher.matches()) {
                    running.ifPresent(DocsShellExamplesIT::stop);
                    running = Optional.of(installation.start(launcher.group(1) + "bin/gatehouse" + launcher.group(2)));
                    installation.awaitAnswer(running.get());
                } else if (command.startsWith("curl ") && command.contains("localhost:8080")) {
                    assertThat(running).as(block + ": " + command + " needs an instance started before it").isPresent();
                    installation.runToEnd(command.replace("localhost:8080", "127.0.0.1:" + installation.port));
                } else {
                    fail(block + ": '" + command + "' is not a command this test can run; make it one, or mark the block "
                            + DocsBlocks.SKIP + " on the line before its fence");
                }
            }
        } finally {
            running.ifPresent(DocsShellExamplesIT::stop);
        }
    }

    private static void stop(Process process) {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A copy of the installation (libraries and plugins linked, not copied) listening on free ports. */
    private record Installation(Path home, int port) {

        static Installation copy(Path from, Path to) throws IOException {
            Files.createDirectories(to.resolve("conf"));
            Files.createDirectories(to.resolve("logs"));
            for (String linked : List.of("bin", "lib", "plugins", "docs")) {
                if (Files.exists(from.resolve(linked))) {
                    Files.createSymbolicLink(to.resolve(linked), from.resolve(linked).toAbsolutePath());
                }
            }
            int listen = freePort();
            String config = Files.readString(from.resolve("conf/gatehouse.yaml"))
                    .replace(":8080", ":" + listen).replace(":9000", ":" + freePort()).replace(":9901", ":" + freePort());
            Files.writeString(to.resolve("conf/gatehouse.yaml"), config);
            return new Installation(to, listen);
        }

        private static int freePort() throws IOException {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            }
        }

        private ProcessBuilder shell(String command) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + command).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(home.resolve("logs/shell-" + System.nanoTime() + ".out").toFile());
            builder.environment().put("JAVA_OPTS", "-Xmx128m");
            return builder;
        }

        String runToEnd(String command) throws Exception {
            Path output = home.resolve("logs/run-" + System.nanoTime() + ".out");
            Process process = shell(command).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                stop(process);
                fail(command + " did not end within 60 s");
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(command + " printed:\n" + printed).isZero();
            return printed;
        }

        Process start(String command) throws IOException {
            return shell(command).start();
        }

        /** Waits until the listener answers HTTP (any status: an example may name an origin that is not there). */
        void awaitAnswer(Process process) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build();
            await().atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(process.isAlive()).as("the example's gatehouse exited early (status %s); its output is in %s",
                        process.isAlive() ? "-" : process.exitValue(), home.resolve("logs")).isTrue();
                try {
                    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }
    }
}
