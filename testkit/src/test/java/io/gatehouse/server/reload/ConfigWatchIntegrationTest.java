package io.gatehouse.server.reload;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code reload.watch}: a change of the config file, in place or by a rename, is reloaded; a broken one is not. */
class ConfigWatchIntegrationTest {

    @TempDir
    Path dir;

    private static String yaml(String upstream, String label) {
        return """
                server: { listen: [ "127.0.0.1:0" ], upstream: "%s" }
                reload: { watch: true }
                filters: [ { type: mark, config: { label: %s } } ]
                """.formatted(upstream, label);
    }

    @Test
    void aChangedFileIsReloaded() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Path file = dir.resolve("gatehouse.yaml");
        try (TestOrigin origin = TestOrigin.start(Reply.ok("hi"))) {
            Files.writeString(file, yaml(origin.url(), "one"));
            FileConfigSource source = new FileConfigSource(new ConfigLoader(dir), file, UnaryOperator.identity());
            try (GatehouseServer server = GatehouseServer.start(source.read(), List.of(new TestFilters.Mark()), Optional.of(source))) {
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
                assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).headers().allValues("X-Trail")).containsExactly("one");

                Files.writeString(file, yaml(origin.url(), "two"));
                await().atMost(10, TimeUnit.SECONDS).until(() ->
                        client.send(request, HttpResponse.BodyHandlers.ofString()).headers().allValues("X-Trail").equals(List.of("two")));

                Files.writeString(file, "filters: [ { type: mark } ]\n"); // no label: rejected, "two" stays
                Path next = dir.resolve("next.yaml");
                Files.writeString(next, yaml(origin.url(), "three"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> server.config().filters().size() == 1
                        && client.send(request, HttpResponse.BodyHandlers.ofString()).headers().allValues("X-Trail").equals(List.of("two")));
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                await().atMost(10, TimeUnit.SECONDS).until(() ->
                        client.send(request, HttpResponse.BodyHandlers.ofString()).headers().allValues("X-Trail").equals(List.of("three")));
            }
        }
    }
}
