package io.gatehouse.server.metrics;

import io.gatehouse.api.metrics.FilterMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryFilterMetricsTest {

    @Test
    void aPluginsMetersAreNamedUnderTheFilterAndTaggedWithItsInstance() {
        ServerMetrics server = new ServerMetrics();
        FilterMetrics metrics = new RegistryFilterMetrics(server.registry(), "cache#0", "cache");
        metrics.counter("lookups", "result", "hit").increment();
        metrics.counter("lookups", "result", "hit").increment(2);
        metrics.timer("store.time").record(Duration.ofMillis(3));
        AtomicInteger size = new AtomicInteger(7);
        metrics.gauge("entries", size::get);

        assertThat(server.scrape())
                .contains("gatehouse_filter_lookups_total{filter=\"cache#0\",result=\"hit\",type=\"cache\"} 3")
                .contains("gatehouse_filter_store_time_seconds_count{filter=\"cache#0\",type=\"cache\"} 1")
                .contains("gatehouse_filter_entries{filter=\"cache#0\",type=\"cache\"} 7");
        assertThatThrownBy(() -> metrics.counter("errors")).hasMessageContaining("chain engine");
        assertThatThrownBy(() -> metrics.counter("hits", "type", "x")).hasMessageContaining("set by the server");
        assertThatThrownBy(() -> metrics.counter("hits").increment(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGaugeRegisteredAgainByANewInstanceReadsTheNewInstance() {
        ServerMetrics server = new ServerMetrics();
        AtomicInteger retired = new AtomicInteger(1);
        AtomicInteger current = new AtomicInteger(2);
        new RegistryFilterMetrics(server.registry(), "lb", "load-balancer").gauge("endpoint.healthy", retired::get, "endpoint", "a");
        new RegistryFilterMetrics(server.registry(), "lb", "load-balancer").gauge("endpoint.healthy", current::get, "endpoint", "a");

        assertThat(server.scrape()).contains("gatehouse_filter_endpoint_healthy{endpoint=\"a\",filter=\"lb\",type=\"load-balancer\"} 2.0")
                .doesNotContain("} 1.0");
    }
}
