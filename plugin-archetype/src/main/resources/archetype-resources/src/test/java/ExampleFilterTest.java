package ${package};

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tests on the in-memory test kit: the filter's hooks run without sockets or threads. */
class ExampleFilterTest {

    private final FilterHarness harness = FilterHarness.of(new ExampleFilterFactory(),
            Map.of("required-header", "X-Team", "response-header", "X-Checked-By", "response-value", "yes"));

    @Test
    void refusesRequestsWithoutTheRequiredHeader() {
        FilterResult result = harness.request(TestExchange.get("/orders"));

        assertEquals(400, result.response().orElseThrow().status());
    }

    @Test
    void letsRequestsWithTheHeaderThroughAndMarksTheResponse() {
        TestExchange exchange = TestExchange.get("/orders").header("X-Team", "payments");

        assertTrue(harness.request(exchange).proceeds());
        harness.response(exchange.respondWith(200));

        assertEquals("yes", exchange.response().orElseThrow().headers().first("X-Checked-By").orElseThrow());
    }

    @Test
    void badConfigNamesTheKey() {
        ConfigException error = assertThrows(ConfigException.class, () -> new ExampleFilterFactory()
                .parseConfig(PluginConfig.of("filters[0].config", Map.of("response-haeder", "X"))));

        assertTrue(error.getMessage().startsWith("filters[0].config.response-haeder: unknown key"), error.getMessage());
    }
}
