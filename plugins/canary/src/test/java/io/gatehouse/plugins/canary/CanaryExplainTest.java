package io.gatehouse.plugins.canary;

import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.TestOutboundClient;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code explain} (admin {@code /explain}, {@code gatehouse explain}) must not change what the filter counts. */
class CanaryExplainTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final CanaryFilter filter = new CanaryFilter(new CanaryFilterFactory().parseConfig(PluginConfig.of("filters[1].config",
            new Yaml().<Map<String, Object>>load("""
                    splits:
                      - name: release
                        from: app
                        to: [ { cluster: blue, weight: 50 }, { cluster: green, weight: 50 } ]
                    """))), scheduler, new Mirror(TestOutboundClient.create()));

    @AfterEach
    void close() {
        filter.close();
        scheduler.shutdownNow();
    }

    private static TestExchange request() {
        TestExchange exchange = TestExchange.get("/");
        exchange.setCluster("app");
        return exchange;
    }

    @Test
    void explainLeavesTheServedCountersAlone() {
        filter.onRequest(request());
        String before = filter.status().orElseThrow();
        assertThat(before).contains("served 1");

        for (int i = 0; i < 10; i++) {
            TestExchange explained = request();
            assertThat(filter.explain(explained)).singleElement().asString().startsWith("split release: ");
            assertThat(explained.cluster()).hasValueSatisfying(c -> assertThat(c).isIn("blue", "green"));
        }

        assertThat(filter.status()).contains(before);
    }

    @Test
    void requestsThatAreSentAreCounted() {
        for (int i = 0; i < 10; i++) {
            filter.onRequest(request());
        }
        String status = filter.status().orElseThrow();
        int served = 0;
        for (String line : status.split("\n")) {
            if (line.contains(" served ")) {
                served += Integer.parseInt(line.substring(line.indexOf(" served ") + 8).trim());
            }
        }
        assertThat(served).isEqualTo(10);
        assertThat(status).as("no mirror counters for splits that mirror nothing").doesNotContain("mirror:");
    }
}
