package io.gatehouse.plugins.ratelimit;

import io.gatehouse.testkit.RedisServer;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.PluginArchive;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built plugin archive, loaded by PF4J from {@code plugins.directory} as in production: it
 * carries its own libraries (Lettuce with its Netty and Reactor, Caffeine) and not the server's
 * (API, PF4J, SLF4J), and Lettuce works under the plugin's class loader against a real Redis.
 */
class PluginArchiveIT {

    private static final PluginArchive ARCHIVE = PluginArchive.built("target/plugin-rate-limit-plugin.zip");

    @TempDir
    Path plugins;


    @Test
    void theArchiveBundlesItsOwnLibrariesOnly() throws IOException {
        List<String> names = ARCHIVE.entries();
        assertThat(names).contains("plugin.properties", "classes/META-INF/extensions.idx",
                "classes/io/gatehouse/plugins/ratelimit/redis/rate-limit.lua");
        assertThat(names).anyMatch(n -> n.matches("lib/lettuce-core-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("lib/netty-transport-4.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("lib/reactor-core-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("lib/caffeine-.*\\.jar"));
        assertThat(names).noneMatch(n -> n.matches("lib/(proxy-api|pf4j|slf4j-api|logback).*"));
    }

    @Test
    void theArchiveLimitsThroughRedisWhenLoadedByPf4j() throws Exception {
        ARCHIVE.copyInto(plugins);
        try (RedisServer redis = RedisServer.start();
             TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "plugins: { directory: \"" + plugins + "\" }",
                     "filters:",
                     "  - type: rate-limit",
                     "    name: from-archive",
                     "    config:",
                     "      key: client-ip",
                     "      rate: 3/min",
                     "      store: redis",
                     "      redis: { uri: \"" + redis.uri() + "\", timeout: 50ms, failure: fail-closed }",
                     "")).upstream(origin).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> gatehouse.status("from-archive").orElseThrow().contains(", connected,"));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/")).build());
                statuses.add(response.statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
            assertThat(redis.command("EXISTS", "gatehouse:rl:from-archive:client-ip:127.0.0.1")).isEqualTo(":1");
        }
    }
}
