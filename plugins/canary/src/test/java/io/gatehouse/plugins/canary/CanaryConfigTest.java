package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.TestOutboundClient;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanaryConfigTest {

    private static CanaryConfig parse(String yaml) {
        Map<String, Object> map = new Yaml().load(yaml);
        return new CanaryFilterFactory().parseConfig(PluginConfig.of("filters[1].config", map));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            splits: []                                                                              | filters[1].config.splits: at least one split is needed
            splits: [ { from: a, to: [ { cluster: x, weight: 1 } ] } ]                              | filters[1].config.splits[0].name: is required
            splits: [ { name: s, to: [ { cluster: x, weight: 1 } ] } ]                              | filters[1].config.splits[0].from: a split takes the requests of one cluster
            splits: [ { name: s, from: a, route: r, to: [ { cluster: x, weight: 1 } ] } ]           | filters[1].config.splits[0].from: a split takes
            splits: [ { name: s, from: a, to: [] } ]                                                | filters[1].config.splits[0].to: needs at least one target
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 0 } ] } ]                     | filters[1].config.splits[0].to: the weights must not all be 0
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: -1 } ] } ]                    | filters[1].config.splits[0].to[0].weight: must be between 0 and 10000
            splits: [ { name: s, from: a, to: [ { weight: 1 } ] } ]                                 | filters[1].config.splits[0].to[0].cluster: is required
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], sticky: { hash: body } } ] | filters[1].config.splits[0].sticky.hash: expected header:NAME
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], sticky: { cookie: c, same-site: maybe } } ] | filters[1].config.splits[0].sticky.same-site: expected one of strict, lax, none, got "maybe"
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], mirror: { percent: 5 } } ] | filters[1].config.splits[0].mirror.endpoints: the mirror cluster needs endpoints
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], mirror: { upstream: "http://m:1", percent: 150 } } ] | filters[1].config.splits[0].mirror.percent: must be a percentage
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], rollback: { window: 5m } } ] | filters[1].config.splits[0].rollback.window: must be at most 60s
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ] }, { name: s, from: b, to: [ { cluster: y, weight: 1 } ] } ] | filters[1].config.splits[1].name: duplicate split name "s"
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], mirror: { upstream: "ftp://m:1" } } ] | filters[1].config.splits[0].mirror.upstream: expected an http or https URL
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], mirror: { endpoints: [ "http://m:1", "m:2" ] } } ] | filters[1].config.splits[0].mirror.endpoints[1]: expected an http or https URL
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], mirror: { upstream: "http://m:1", forward-credentials: maybe } } ] | filters[1].config.splits[0].mirror.forward-credentials: expected true or false
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], sticky: { hash: "header:" } } ] | filters[1].config.splits[0].sticky.hash: expected header:NAME, cookie:NAME or client-ip
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], sticky: { cookie: c, max-age: 0s } } ] | filters[1].config.splits[0].sticky.max-age: must be positive
            splits: [ { name: s, from: a, to: [ { cluster: "a b", weight: 1 } ], sticky: { cookie: c } } ] | filters[1].config.splits[0].to[0].cluster: is the sticky cookie's value
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], rollback: { min-requests: 0 } } ] | filters[1].config.splits[0].rollback.min-requests: must be at least 1, got 0
            splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], override: { header: X-C, after-rollback: maybe } } ] | filters[1].config.splits[0].override.after-rollback: expected true or false
            watch: /nonexistent/splits.yaml                                                          | filters[1].config.watch: cannot read /nonexistent/splits.yaml
            """)
    void badConfigNamesTheKey(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void sharedRulesForPercentagesCookiesAndMirrors() {
        Split split = parse("""
                splits:
                  - name: s
                    from: a
                    to: [ { cluster: x, weight: 1 } ]
                    sticky: { cookie: side, same-site: lax, max-age: 1h }
                    mirror: { endpoints: [ "http://m:1" ], percent: "2.5%" }
                    rollback: { max-error-percent: 5% }
                """).splits().get(0);
        assertThat(split.stickyCookie().orElseThrow().withValue("x").headerValue()).isEqualTo("side=x; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
        assertThat(split.mirror().orElseThrow().percent()).isEqualTo(2.5);
        assertThat(split.mirror().orElseThrow().forwardCredentials()).as("off unless asked for").isFalse();
        assertThat(split.rollback().orElseThrow().maxErrorPercent()).isEqualTo(5.0);
    }

    @Test
    void overridesDoNotReachARolledBackCanaryUnlessAsked() {
        String yaml = "splits: [ { name: s, from: a, to: [ { cluster: x, weight: 1 } ], override: { header: X-C%s } } ]";
        assertThat(parse(yaml.formatted("")).splits().get(0).overrideAfterRollback()).isFalse();
        assertThat(parse(yaml.formatted(", after-rollback: true")).splits().get(0).overrideAfterRollback()).isTrue();
    }

    @Test
    void aWatchedFileThatBreaksKeepsTheCurrentSplitsAndAFixedOneIsTaken(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("splits.yaml");
        Files.writeString(file, "splits: [ { name: s, from: app, to: [ { cluster: blue, weight: 1 } ] } ]\n");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CanaryFilter filter = new CanaryFilter(parse("watch: \"" + file + "\"\nwatch-interval: 1h"), scheduler, new Mirror(TestOutboundClient.create()));
        try {
            Files.writeString(file, "splits: [ { name: s, from: app, to: [ { cluster: blue, weight: 0 } ] } ]\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            filter.reloadIfChanged(file);
            assertThat(cluster(filter)).as("an invalid file changes nothing").isEqualTo("blue");

            Files.writeString(file, "splits: [ { name: s, from: app, to: [ { cluster: green, weight: 1 } ] } ]\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            filter.reloadIfChanged(file);
            assertThat(cluster(filter)).isEqualTo("green");
        } finally {
            filter.close();
            scheduler.shutdownNow();
        }
    }

    private static String cluster(CanaryFilter filter) {
        TestExchange exchange = TestExchange.get("/");
        exchange.setCluster("app");
        filter.onRequest(exchange);
        return exchange.cluster().orElseThrow();
    }
}
