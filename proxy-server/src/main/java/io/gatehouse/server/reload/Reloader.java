package io.gatehouse.server.reload;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.chain.ChainBuilder;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.CurrentChain;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.config.ConfigDocument;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.plugins.FilterFactories;
import io.gatehouse.server.plugins.LoadedPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Validate, build aside, swap: reads the configuration again, validates it as start-up does
 * (every key, every plugin's {@code parseConfig}, the names across filters), loads new and
 * changed plugin archives beside the running ones, builds the new chain (offering unchanged
 * entries their running instance), and only then makes it the chain of new exchanges. Any failure
 * before the swap leaves the running configuration and chain untouched. One reload at a time.
 */
public final class Reloader {

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final Optional<ConfigSource> source;
    private final Collection<? extends ProxyFilterFactory<?>> builtIn;
    private final Function<FilterFactories, ChainBuilder> builders;
    private final UnaryOperator<GatehouseConfig> effective;
    private final CurrentChain chains;
    private final Listeners listeners;
    private FilterFactories factories;
    private ConfigDocument running;
    private boolean closed;

    /** Applies {@code server.listen} on a reload. */
    public interface Listeners {

        /**
         * Binds new addresses and stops accepting on removed ones; established connections stay.
         *
         * @param wanted the listeners as configured now (compared by address)
         * @return the addresses added and removed
         * @throws ConfigException naming {@code server.listen[i]} when one cannot be bound (nothing changed then)
         */
        Change apply(List<io.gatehouse.server.config.ListenerSpec> wanted);

        /**
         * @param added addresses bound, as configured
         * @param removed addresses closed, as configured
         */
        record Change(List<String> added, List<String> removed) {
        }
    }

    /**
     * @param source where reloads read the configuration; empty when only {@link #apply} can be used
     * @param builtIn factories given programmatically
     * @param builders a chain builder over given factories
     * @param effective completes a configuration read as start-up did (the demo origin as upstream)
     * @param chains the current chain
     * @param listeners applies {@code server.listen}
     * @param factories the factories the current chain was built from (this reloader now owns that use)
     * @param running the configuration in effect
     */
    public Reloader(Optional<ConfigSource> source, Collection<? extends ProxyFilterFactory<?>> builtIn,
                    Function<FilterFactories, ChainBuilder> builders, UnaryOperator<GatehouseConfig> effective,
                    CurrentChain chains, Listeners listeners, FilterFactories factories, ConfigDocument running) {
        this.source = source;
        this.builtIn = List.copyOf(builtIn);
        this.builders = builders;
        this.effective = effective;
        this.chains = chains;
        this.listeners = listeners;
        this.factories = factories;
        this.running = running;
    }

    /**
     * Reads the source again and applies it.
     *
     * @param trigger what asked: {@code signal}, {@code admin}, {@code watch}
     * @return what happened; never throws for a bad configuration
     */
    public synchronized ReloadResult reload(String trigger) {
        long started = System.nanoTime();
        if (source.isEmpty()) {
            return log(ReloadResult.rejected(trigger, "this server was started without a config file to reload from", since(started)));
        }
        ConfigDocument next;
        try {
            next = source.get().read();
        } catch (ConfigException e) {
            return log(ReloadResult.rejected(trigger, e.getMessage(), since(started)));
        } catch (RuntimeException e) {
            LOG.error("Reading the configuration failed", e);
            return log(ReloadResult.rejected(trigger, "cannot read the configuration (" + e + ")", since(started)));
        }
        return apply(next, trigger, started);
    }

    /**
     * Applies a configuration from any source.
     *
     * @param next the validated configuration and its tree
     * @param trigger what asked
     * @return what happened; never throws for a bad configuration
     */
    public synchronized ReloadResult apply(ConfigDocument next, String trigger) {
        return apply(next, trigger, System.nanoTime());
    }

    private ReloadResult apply(ConfigDocument read, String trigger, long started) {
        if (closed) {
            return log(ReloadResult.rejected(trigger, "the server is stopping", since(started)));
        }
        GatehouseConfig next = effective.apply(read.config());
        GatehouseConfig now = running.config();
        List<String> restart = RestartRequired.between(now, next);
        FilterFactories nextFactories;
        FilterChain nextChain;
        FilterChain previous = chains.peek();
        try {
            // the plugins directory of the running server: changing it needs a restart
            nextFactories = FilterFactories.reload(factories, now.pluginsDirectory(), now.pluginsWorkDirectory(), builtIn);
        } catch (ConfigException e) {
            return log(ReloadResult.rejected(trigger, e.getMessage(), since(started)));
        } catch (RuntimeException e) {
            LOG.error("Loading plugins for a reload failed", e);
            return log(ReloadResult.rejected(trigger, "loading plugins failed (" + e + ")", since(started)));
        }
        try {
            nextChain = builders.apply(nextFactories).build(next.filters(), Optional.of(previous));
        } catch (ConfigException e) {
            nextFactories.close();
            return log(ReloadResult.rejected(trigger, e.getMessage(), since(started)));
        } catch (RuntimeException e) {
            nextFactories.close();
            LOG.error("Building the chain for a reload failed", e);
            return log(ReloadResult.rejected(trigger, "building the chain failed (" + e + ")", since(started)));
        }
        Listeners.Change listened;
        try {
            listened = listeners.apply(next.listen()); // the last step that can fail: then nothing changed
        } catch (RuntimeException e) {
            nextChain.yieldSharedTo(previous); // the running instances carried into it stay running
            nextChain.close();
            nextFactories.close();
            return log(ReloadResult.rejected(trigger, e instanceof ConfigException ? e.getMessage()
                    : "changing the listeners failed (" + e + ")", since(started)));
        }
        FilterFactories used = nextFactories.retain();
        nextChain.onClosed(used::close);
        List<String> created = new ArrayList<>();
        List<String> carried = new ArrayList<>();
        for (ChainEntry entry : nextChain.entries()) {
            boolean kept = previous.entries().stream().anyMatch(old -> old.filter() == entry.filter());
            (kept ? carried : created).add(entry.name());
        }
        List<String> loaded = nextFactories.plugins().stream().filter(p -> !factories.plugins().contains(p)).map(Reloader::describe).toList();
        List<String> retired = factories.plugins().stream().filter(p -> !nextFactories.plugins().contains(p)).map(Reloader::describe).toList();

        previous.yieldSharedTo(nextChain); // instances carried over are closed by the new chain, in its turn
        chains.swap(nextChain); // new exchanges take it from now on; the old one closes when drained
        factories.close();
        factories = nextFactories;
        running = new ConfigDocument(now.withFilters(next.filters()).withListeners(next.listen()), read.tree());
        return log(new ReloadResult(true, trigger, Optional.empty(), restart, created, carried, loaded, retired,
                listened.added(), listened.removed(), since(started)));
    }

    private static String describe(LoadedPlugin plugin) {
        return plugin.id() + " " + plugin.version();
    }

    /** @return the configuration in effect: the server-wide settings of start-up, the filters of the last reload */
    public synchronized ConfigDocument running() {
        return running;
    }

    /** @return the factories of the current chain */
    public synchronized FilterFactories factories() {
        return factories;
    }

    /** Refuses further reloads and lets go of the current factories (at shutdown, after the chain was released). */
    public synchronized void close() {
        if (!closed) {
            closed = true;
            factories.close();
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static ReloadResult log(ReloadResult result) {
        if (result.applied()) {
            LOG.info(result.summary());
        } else {
            LOG.warn(result.summary());
        }
        return result;
    }
}
