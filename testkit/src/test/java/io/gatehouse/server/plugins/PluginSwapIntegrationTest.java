package io.gatehouse.server.plugins;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.reload.ReloadResult;
import io.gatehouse.server.testing.PluginArchives;
import io.gatehouse.server.testing.swap.VersionFilterFactory;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plugin archive replaced by another version is loaded beside the running one on reload; new
 * exchanges use the new version, the old one is unloaded once its exchanges ended, under load and
 * fifty times over, and no old class loader stays reachable.
 */
class PluginSwapIntegrationTest {

    private static final int SWAPS = 50;
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    private Path archive(int version) {
        return PluginArchives.writeVersion(dir.resolve("plugins/version-header.zip"), "version-header", "1.0." + version,
                VersionFilterFactory.class, Map.of(VersionFilterFactory.RESOURCE, "v" + version));
    }

    @Test
    void aNewVersionServesNewExchangesAndTheOldOneIsUnloadedAndCollected() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        archive(1);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<WeakReference<ClassLoader>> retired = new ArrayList<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("hello"));
             GatehouseServer server = GatehouseServer.start(new ConfigLoader(dir).parse("""
                     server: { listen: [ "127.0.0.1:0" ], upstream: "%s" }
                     plugins: { directory: plugins, work-directory: work }
                     filters: [ { type: version-header } ]
                     """.formatted(origin.url()), "test.yaml"), List.of())) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
            List<CompletableFuture<Void>> load = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                load.add(CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200 || response.headers().firstValue("X-Plugin-Version").isEmpty()) {
                                failures.add(response.statusCode() + " " + response.headers().map());
                            }
                            served.incrementAndGet();
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            assertThat(version(client, uri)).isEqualTo("v1");

            for (int v = 2; v <= SWAPS + 1; v++) {
                LoadedPlugin running = only(server.plugins());
                retired.add(new WeakReference<>(running.classLoader().orElseThrow()));
                archive(v);
                int before = served.get();

                ReloadResult result = server.reload(new ConfigLoader(dir).parseDocument("""
                        server: { listen: [ "127.0.0.1:0" ], upstream: "%s" }
                        plugins: { directory: plugins, work-directory: work }
                        filters: [ { type: version-header } ]
                        """.formatted(origin.url()), "test.yaml"), "test");

                assertThat(result.applied()).as(result.summary()).isTrue();
                assertThat(result.pluginsLoaded()).containsExactly("version-header 1.0." + v);
                assertThat(result.pluginsRetired()).containsExactly("version-header 1.0." + (v - 1));
                assertThat(version(client, uri)).isEqualTo("v" + v);
                running = null;
                int swapped = v;
                // the old version is unloaded once the exchanges that started on it have ended
                await().atMost(10, TimeUnit.SECONDS).until(() -> server.plugins().size() == 1
                        && server.plugins().get(0).version().equals("1.0." + swapped));
                await().atMost(10, TimeUnit.SECONDS).until(() -> served.get() > before + 5);
            }
            stop.set(true);
            CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

            assertThat(failures).isEmpty();
            assertThat(served.get()).isGreaterThan(SWAPS * 5);
            // bounded polling with explicit collections: every retired class loader goes
            await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return retired.stream().allMatch(reference -> reference.get() == null);
            });
            try (var unpacked = Files.list(dir.resolve("work"))) {
                assertThat(unpacked.filter(Files::isDirectory).count()).as("unpacked copies of retired versions are deleted").isLessThanOrEqualTo(2);
            }
        } finally {
            stop.set(true);
        }
    }

    private static LoadedPlugin only(List<LoadedPlugin> plugins) {
        assertThat(plugins).hasSize(1);
        return plugins.get(0);
    }

    private static String version(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("X-Plugin-Version").orElse("none");
    }
}
