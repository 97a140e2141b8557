package io.gatehouse.api.testkit;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.metrics.FilterMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingMetricsTest {

    /** Counts lookups by result and times them; publishes a size. */
    static final class CountingFactory implements ProxyFilterFactory<Object> {
        @Override
        public String type() {
            return "counting";
        }

        @Override
        public Object parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            FilterMetrics.Counter hits = context.metrics().counter("lookups", "result", "hit");
            FilterMetrics.Counter misses = context.metrics().counter("lookups", "result", "miss");
            FilterMetrics.Timer lookup = context.metrics().timer("lookup.time");
            AtomicInteger size = new AtomicInteger();
            context.metrics().gauge("entries", size::get);
            return exchange -> {
                (exchange.request().path().equals("/hit") ? hits : misses).increment();
                lookup.record(Duration.ofMillis(2));
                size.incrementAndGet();
                return FilterResult.proceed();
            };
        }
    }

    @Test
    void theHarnessKeepsWhatAFilterRecorded() {
        try (FilterHarness harness = FilterHarness.builder(new CountingFactory()).build()) {
            harness.request(TestExchange.get("/hit"));
            harness.request(TestExchange.get("/hit"));
            harness.request(TestExchange.get("/other"));

            assertThat(harness.metrics().count("lookups", "result", "hit")).isEqualTo(2);
            assertThat(harness.metrics().count("lookups", "result", "miss")).isEqualTo(1);
            assertThat(harness.metrics().count("lookups", "result", "stale")).isZero();
            assertThat(harness.metrics().timerCount("lookup.time")).isEqualTo(3);
            assertThat(harness.metrics().timerTotal("lookup.time")).isEqualTo(Duration.ofMillis(6));
            assertThat(harness.metrics().gauge("entries")).hasValue(3.0);
            assertThat(harness.metrics().gauge("missing")).isEmpty();
        }
    }

    @Test
    void namesAndTagsAreCheckedByEveryImplementation() {
        for (FilterMetrics metrics : new FilterMetrics[] {RecordingMetrics.create(), FilterMetrics.none()}) {
            assertThatThrownBy(() -> metrics.counter("Bad Name")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> metrics.counter("calls")).hasMessageContaining("chain engine");
            assertThatThrownBy(() -> metrics.timer("short.circuits")).hasMessageContaining("chain engine");
            assertThatThrownBy(() -> metrics.counter("hits", "odd")).hasMessageContaining("pairs");
            assertThatThrownBy(() -> metrics.counter("hits", "filter", "x")).hasMessageContaining("set by the server");
            assertThatThrownBy(() -> metrics.gauge("size", () -> 1, "Bad-Tag", "x")).isInstanceOf(IllegalArgumentException.class);
            metrics.counter("cache.lookups", "result", "hit").increment();
        }
        assertThat(FilterContextDefaults.metrics()).isSameAs(FilterMetrics.none());
    }

    /** A context that only gives what it must: the defaults of the rest. */
    private static final class FilterContextDefaults {
        static FilterMetrics metrics() {
            FilterContext minimal = new FilterContext() {
                @Override
                public String instanceName() {
                    return "x";
                }

                @Override
                public java.time.Clock clock() {
                    return java.time.Clock.systemUTC();
                }

                @Override
                public java.util.concurrent.ScheduledExecutorService scheduler() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public java.util.concurrent.Executor blockingExecutor() {
                    throw new UnsupportedOperationException();
                }
            };
            return minimal.metrics();
        }
    }
}
