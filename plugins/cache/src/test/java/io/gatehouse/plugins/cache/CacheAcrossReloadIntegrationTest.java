package io.gatehouse.plugins.cache;

import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.reload.ReloadResult;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's entries survive a reload that leaves its entry unchanged, and only such a reload. */
class CacheAcrossReloadIntegrationTest {

    @TempDir
    Path dir;

    private final TestOrigin origin = TestOrigin.start(Reply.ok("hello").header("Cache-Control", "max-age=60"));
    private final HttpClient client = HttpClient.newHttpClient();
    private GatehouseServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        origin.close();
    }

    private static String config(String otherRoute, String maxSize) {
        return """
                server: { listen: [ "127.0.0.1:0" ] }
                filters:
                  - type: router
                    config: { routes: [ { name: %1$s, path-prefix: /other, upstream: "%2$s" }, { name: site, path-prefix: /, upstream: "%2$s" } ] }
                  - type: cache
                    name: cache
                    config: { max-size: %3$s, max-object-size: 1MiB }
                """.formatted(otherRoute, "http://127.0.0.1:0", maxSize);
    }

    private String yaml(String otherRoute, String maxSize) {
        return config(otherRoute, maxSize).replace("http://127.0.0.1:0", origin.url());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private ReloadResult reload(String yaml) {
        return server.reload(new ConfigLoader(dir).parseDocument(yaml, "reloaded.yaml"), "test");
    }

    @Test
    void entriesSurviveAReloadThatDoesNotTouchTheCache() throws Exception {
        server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml("other", "16MiB"), "test.yaml"),
                List.of(new RouterFilterFactory(), new CacheFilterFactory()));
        assertThat(get("/a").body()).isEqualTo("hello");
        assertThat(origin.requestCount()).isEqualTo(1);

        ReloadResult routeRenamed = reload(yaml("elsewhere", "16MiB")); // another route, the cache untouched

        assertThat(routeRenamed.applied()).isTrue();
        assertThat(routeRenamed.carriedOver()).containsExactly("cache");
        HttpResponse<String> hit = get("/a");
        assertThat(hit.headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; hit");
        assertThat(origin.requestCount()).isEqualTo(1);

        ReloadResult resized = reload(yaml("elsewhere", "32MiB"));

        assertThat(resized.created()).contains("cache");
        assertThat(get("/a").headers().firstValue(CacheFilter.STATUS).orElseThrow()).contains("miss");
        assertThat(origin.requestCount()).isEqualTo(2);
    }
}
