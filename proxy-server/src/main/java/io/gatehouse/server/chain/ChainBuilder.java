package io.gatehouse.server.chain;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.References;
import io.gatehouse.api.metrics.FilterMetrics;
import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.server.config.FilterSpec;
import io.gatehouse.server.metrics.FilterMeters;
import io.gatehouse.server.metrics.RegistryFilterMetrics;
import io.gatehouse.server.plugins.FilterFactories;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** Builds a {@link FilterChain} from the {@code filters:} entries: parse each config, create each instance. */
public final class ChainBuilder {

    private final FilterFactories factories;
    private final PluginThreads threads;
    private final OutboundClient http;
    private final Optional<MeterRegistry> registry;

    /**
     * A builder of chains that record no metrics ({@code explain}).
     *
     * @param factories the available filter types
     * @param threads the timer and blocking pool lent to filters
     * @param http the outbound client lent to filters
     */
    public ChainBuilder(FilterFactories factories, PluginThreads threads, OutboundClient http) {
        this(factories, threads, http, Optional.empty());
    }

    /**
     * @param factories the available filter types
     * @param threads the timer and blocking pool lent to filters
     * @param http the outbound client lent to filters
     * @param registry where each instance's meters are registered; empty for none
     */
    public ChainBuilder(FilterFactories factories, PluginThreads threads, OutboundClient http, Optional<MeterRegistry> registry) {
        this.factories = factories;
        this.threads = threads;
        this.http = http;
        this.registry = registry;
    }

    /**
     * @param specs the entries in order
     * @return the chain
     * @throws ConfigException naming the key of the first bad entry
     */
    public FilterChain build(List<FilterSpec> specs) {
        return build(specs, Optional.empty());
    }

    /**
     * Builds a chain, offering each factory the instance of the same entry in {@code running}
     * when name, type, factory and parsed config are unchanged ({@link
     * ProxyFilterFactory#create(Object, FilterContext, Optional)}). Nothing of {@code running} is
     * touched: the caller decides which chain owns the instances both hold ({@link
     * FilterChain#yieldSharedTo}).
     *
     * @param specs the entries in order
     * @param running the chain serving now, on a reload
     * @return the chain
     * @throws ConfigException naming the key of the first bad entry
     */
    public FilterChain build(List<FilterSpec> specs, Optional<FilterChain> running) {
        List<Parsed<?>> parsed = new ArrayList<>(specs.size());
        List<ChainReferences.Entry> references = new ArrayList<>(specs.size());
        for (FilterSpec spec : specs) {
            ProxyFilterFactory<?> factory = factories.find(spec.type()).orElseThrow(() -> new ConfigException(
                    spec.key() + ".type", "unknown filter type \"" + spec.type() + "\" (available: "
                    + (factories.types().isEmpty() ? "none, the plugins directory has no plugins" : String.join(", ", factories.types())) + ")"));
            Parsed<?> entry = parse(factory, spec);
            parsed.add(entry);
            references.add(new ChainReferences.Entry(spec, entry.references()));
        }
        // every name checked before any filter starts (a balancer's health checks, say)
        ChainReferences names = ChainReferences.check(references);
        List<ChainEntry> entries = new ArrayList<>(specs.size());
        List<FilterChain.Origin> origins = new ArrayList<>(specs.size());
        Set<ProxyFilter> carried = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try {
            for (Parsed<?> entry : parsed) {
                FilterSpec spec = entry.spec();
                Optional<ProxyFilter> previous = running.flatMap(chain -> chain.made(spec.name()))
                        .filter(made -> made.entry().type().equals(spec.type()) && made.origin().factory() == entry.factory()
                                && made.origin().config().equals(entry.config()))
                        .map(made -> made.entry().filter());
                ProxyFilter filter = entry.create(context(spec.name(), spec.type(), names), previous);
                if (previous.isPresent() && previous.get() == filter) {
                    carried.add(filter);
                }
                entries.add(new ChainEntry(spec.name(), spec.type(), Condition.compile(spec.when()), filter));
                origins.add(new FilterChain.Origin(entry.factory(), entry.config()));
            }
        } catch (RuntimeException e) {
            for (ChainEntry made : entries) {
                if (!carried.contains(made.filter())) {
                    closeQuietly(made);
                }
            }
            throw e;
        }
        List<FilterMeters> meters = entries.stream().map(entry -> registry
                .map(r -> FilterMeters.create(r, entry.name(), entry.type()))
                .orElseGet(() -> FilterMeters.none(entry.name(), entry.type()))).toList();
        return new FilterChain(entries, meters, origins);
    }

    private static void closeQuietly(ChainEntry entry) {
        try {
            entry.filter().close();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ChainBuilder.class).warn("Filter {} failed to close: {}", entry.name(), e.toString());
        }
    }

    private static <C> Parsed<C> parse(ProxyFilterFactory<C> factory, FilterSpec spec) {
        C config;
        try {
            config = factory.parseConfig(spec.config());
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(spec.key() + ".config", "invalid (" + e + ")");
        }
        return new Parsed<>(factory, spec, config);
    }

    /** One entry's parsed configuration, before its filter is created. */
    private record Parsed<C>(ProxyFilterFactory<C> factory, FilterSpec spec, C config) {

        References references() {
            try {
                return factory.references(config);
            } catch (RuntimeException e) {
                throw new ConfigException(spec.key() + ".config", "invalid (" + e + ")");
            }
        }

        ProxyFilter create(FilterContext context, Optional<ProxyFilter> previous) {
            try {
                ProxyFilter filter = factory.create(config, context, previous);
                if (filter == null) {
                    throw new IllegalStateException("the factory returned no filter");
                }
                return filter;
            } catch (ConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigException(spec.key(), "filter " + spec.type() + " failed to start (" + e + ")");
            }
        }
    }

    private FilterContext context(String name, String type, ChainReferences names) {
        FilterMetrics metrics = registry.<FilterMetrics>map(r -> new RegistryFilterMetrics(r, name, type)).orElseGet(FilterMetrics::none);
        return new FilterContext() {
            @Override
            public FilterMetrics metrics() {
                return metrics;
            }

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

            @Override
            public Optional<Set<String>> definedNames(References.Kind kind) {
                return Optional.of(names.defined(kind));
            }
        };
    }
}
