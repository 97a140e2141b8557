package io.gatehouse.server.reload;

import io.gatehouse.server.testing.PluginArchives;
import io.gatehouse.server.testing.plugin.SampleFilterFactory;
import io.gatehouse.testkit.GatehouseProcess;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code gatehouse} command reloads on SIGHUP; a bad file is rejected and the process keeps serving. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class SignalReloadIntegrationTest {

    @TempDir
    Path dir;

    private String yaml(String origin, String value) {
        return """
                server: { listen: [ "127.0.0.1:0" ], upstream: "%s" }
                plugins: { directory: "%s", work-directory: "%s" }
                filters: [ { type: sample, config: { value: %s } } ]
                """.formatted(origin, dir.resolve("plugins"), dir.resolve("work"), value);
    }

    private static void hangUp(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void sighupReloadsTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        PluginArchives.write(dir.resolve("plugins/sample.zip"), "sample", "*", SampleFilterFactory.class, false);
        Path config = dir.resolve("gatehouse.yaml");
        HttpClient client = HttpClient.newHttpClient();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("hi"))) {
            Files.writeString(config, yaml(origin.url(), "one"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            try (GatehouseProcess gatehouse = GatehouseProcess.start(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "io.gatehouse.server.Main", "--config", config.toString()))) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatehouse.awaitPort(Duration.ofSeconds(60)) + "/"))
                        .timeout(Duration.ofSeconds(5)).build();
                client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(origin.lastRequest().headers().first("X-Sample")).hasValue("one");

                Files.writeString(config, "filters: [ { type: nope } ]\n");
                hangUp(gatehouse.process());
                await().atMost(20, TimeUnit.SECONDS).until(() -> gatehouse.output().contains("Reload (signal) rejected"));
                assertThat(gatehouse.output()).contains("filters[0].type: unknown filter type \"nope\"");
                client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(origin.lastRequest().headers().first("X-Sample")).hasValue("one");

                Files.writeString(config, yaml(origin.url(), "two"));
                hangUp(gatehouse.process());
                await().atMost(20, TimeUnit.SECONDS).until(() -> gatehouse.output().contains("Reload (signal) applied"));
                client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(origin.lastRequest().headers().first("X-Sample")).hasValue("two");
                assertThat(gatehouse.process().isAlive()).isTrue();
            }
        }
    }
}
