package io.gatehouse.server.chain;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.FilterSpec;
import io.gatehouse.server.outbound.OutboundHttpClient;
import io.gatehouse.server.outbound.OutboundSettings;
import io.gatehouse.server.plugins.FilterFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reloaded entry is offered its running instance only when name, type, factory and parsed config are unchanged. */
class ChainCarryOverTest {

    /** Keeps the previous instance when offered one; fails to create for {@code fail: true}. */
    static final class Keeping implements ProxyFilterFactory<String> {
        int created;

        @Override
        public String type() {
            return "keeping";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return config.getString("size", "1");
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            if (config.equals("fail")) {
                throw new IllegalStateException("cannot start");
            }
            created++;
            return new ProxyFilter() { // a new instance each time (a non-capturing lambda would be one)
                @Override
                public java.util.concurrent.CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange exchange) {
                    return FilterResult.proceed();
                }
            };
        }

        @Override
        public ProxyFilter create(String config, FilterContext context, Optional<ProxyFilter> previous) {
            return previous.orElseGet(() -> create(config, context));
        }
    }

    private final Keeping keeping = new Keeping();
    private final PluginThreads threads = new PluginThreads();
    private final FilterFactories factories = FilterFactories.load(Path.of("absent-plugins"), List.of(keeping));
    private final OutboundHttpClient outbound = new OutboundHttpClient(OutboundSettings.DEFAULTS, threads.scheduler());
    private final ChainBuilder builder = new ChainBuilder(factories, threads, outbound);

    @AfterEach
    void close() {
        factories.close();
        outbound.close();
        threads.close();
    }

    private static List<FilterSpec> specs(String yaml) {
        return new ConfigLoader(Path.of("")).parse(yaml, "test.yaml").filters();
    }

    @Test
    void anUnchangedEntryKeepsItsInstanceAndAChangedOneGetsANewOne() {
        FilterChain running = builder.build(specs("filters: [ { type: keeping, name: a, config: { size: 1 } }, { type: keeping, name: b } ]"));

        FilterChain next = builder.build(specs("""
                filters:
                  - { type: keeping, name: b, when: { method: [ GET ] } }
                  - { type: keeping, name: a, config: { size: 2 } }
                """), Optional.of(running));

        assertThat(next.entries().get(0).filter()).as("b: same config, moved, other when:").isSameAs(running.entries().get(1).filter());
        assertThat(next.entries().get(1).filter()).as("a: config changed").isNotSameAs(running.entries().get(0).filter());
        assertThat(keeping.created).isEqualTo(3);
    }

    @Test
    void aFailedBuildClosesOnlyWhatItCreatedAndHandsNothingOver() {
        List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        FilterChain running = builder.build(specs("filters: [ { type: keeping, name: a } ]"));
        running.onClosed(() -> closed.add("running chain"));

        assertThatThrownBy(() -> builder.build(specs("""
                filters:
                  - { type: keeping, name: a }
                  - { type: keeping, name: b, config: { size: fail } }
                """), Optional.of(running))).hasMessageContaining("filters[1]: filter keeping failed to start");

        running.close();
        assertThat(closed).containsExactly("running chain");
    }
}
