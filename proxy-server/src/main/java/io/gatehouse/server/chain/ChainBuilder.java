package io.gatehouse.server.chain;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.server.config.FilterSpec;
import io.gatehouse.server.plugins.FilterFactories;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** Builds a {@link FilterChain} from the {@code filters:} entries: parse each config, create each instance. */
public final class ChainBuilder {

    private final FilterFactories factories;
    private final PluginThreads threads;
    private final OutboundClient http;

    /**
     * @param factories the available filter types
     * @param threads the timer and blocking pool lent to filters
     * @param http the outbound client lent to filters
     */
    public ChainBuilder(FilterFactories factories, PluginThreads threads, OutboundClient http) {
        this.factories = factories;
        this.threads = threads;
        this.http = http;
    }

    /**
     * @param specs the entries in order
     * @return the chain
     * @throws ConfigException naming the key of the first bad entry
     */
    public FilterChain build(List<FilterSpec> specs) {
        List<ChainEntry> entries = new ArrayList<>(specs.size());
        try {
            for (FilterSpec spec : specs) {
                ProxyFilterFactory<?> factory = factories.find(spec.type()).orElseThrow(() -> new ConfigException(
                        spec.key() + ".type", "unknown filter type \"" + spec.type() + "\" (available: "
                        + (factories.types().isEmpty() ? "none, the plugins directory has no plugins" : String.join(", ", factories.types())) + ")"));
                ProxyFilter filter = create(factory, spec);
                entries.add(new ChainEntry(spec.name(), spec.type(), Condition.compile(spec.when()), filter));
            }
        } catch (RuntimeException e) {
            new FilterChain(entries).close();
            throw e;
        }
        return new FilterChain(entries);
    }

    private <C> ProxyFilter create(ProxyFilterFactory<C> factory, FilterSpec spec) {
        C config;
        try {
            config = factory.parseConfig(spec.config());
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(spec.key() + ".config", "invalid (" + e + ")");
        }
        try {
            return factory.create(config, context(spec.name()));
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(spec.key(), "filter " + spec.type() + " failed to start (" + e + ")");
        }
    }

    private FilterContext context(String name) {
        return new FilterContext() {
            @Override
            public String instanceName() {
                return name;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return threads.scheduler();
            }

            @Override
            public Executor blockingExecutor() {
                return threads.blockingExecutor();
            }

            @Override
            public OutboundClient http() {
                return http;
            }
        };
    }
}
