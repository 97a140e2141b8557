package io.gatehouse.server.chain;

import io.gatehouse.api.ProxyFilter;
import io.gatehouse.server.metrics.FilterMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable snapshot of the configured filter instances, in config order. An exchange keeps
 * the snapshot it started with, so a reload can swap in a new one atomically ({@link
 * CurrentChain}).
 *
 * <p>A snapshot counts its users: the holder that serves it to new exchanges, and each exchange
 * that took it ({@link #tryRetain()}, {@link #release()}). When the last one lets go, the filter
 * instances are closed, except those handed over to a newer snapshot ({@link #handOver}), and the
 * actions given to {@link #onClosed} run (the plugins the snapshot used are released).
 */
public final class FilterChain implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterChain.class);

    private final List<ChainEntry> entries;
    private final FilterMeters[] meters;
    private final boolean timed;
    private final List<Origin> origins;
    private final AtomicInteger users = new AtomicInteger(1);
    private final Set<ProxyFilter> handedOver = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final List<Runnable> onClosed = Collections.synchronizedList(new ArrayList<>());
    private volatile Executor closer = Runnable::run;

    /**
     * How an entry's filter was made, so a reload can offer it to the same factory again.
     *
     * @param factory the factory that created it
     * @param config its parsed configuration
     */
    public record Origin(Object factory, Object config) {
    }

    /**
     * A chain whose filters record no metrics.
     *
     * @param entries the instances in order
     */
    public FilterChain(List<ChainEntry> entries) {
        this(entries, entries.stream().map(entry -> FilterMeters.none(entry.name(), entry.type())).toList());
    }

    /**
     * @param entries the instances in order
     * @param meters the meters of each instance, in the same order
     */
    public FilterChain(List<ChainEntry> entries, List<FilterMeters> meters) {
        this(entries, meters, List.of());
    }

    /**
     * @param entries the instances in order
     * @param meters the meters of each instance, in the same order
     * @param origins how each instance was made, in the same order; empty when unknown (no carry-over)
     */
    public FilterChain(List<ChainEntry> entries, List<FilterMeters> meters, List<Origin> origins) {
        if (entries.size() != meters.size() || !origins.isEmpty() && origins.size() != entries.size()) {
            throw new IllegalArgumentException(entries.size() + " entries but " + meters.size() + " meters and "
                    + origins.size() + " origins");
        }
        this.entries = List.copyOf(entries);
        this.meters = meters.toArray(new FilterMeters[0]);
        this.timed = this.entries.stream().anyMatch(entry -> entry.filter().readsTimings());
        this.origins = List.copyOf(origins);
    }

    /** @return whether a filter reads {@code Outcome.timings()}: sampled exchanges are then timed */
    public boolean timed() {
        return timed;
    }

    /**
     * @param index the instance's position
     * @return its meters
     */
    public FilterMeters meters(int index) {
        return meters[index];
    }

    /** @return the instances in config order */
    public List<ChainEntry> entries() {
        return entries;
    }

    /** @return the number of instances */
    public int size() {
        return entries.size();
    }

    /**
     * @param name an instance name
     * @return the entry of that name, with how it was made, when this chain has it
     */
    Optional<Made> made(String name) {
        for (int i = 0; i < entries.size() && i < origins.size(); i++) {
            if (entries.get(i).name().equals(name)) {
                return Optional.of(new Made(entries.get(i), origins.get(i)));
            }
        }
        return Optional.empty();
    }

    /** An entry and how it was made. */
    record Made(ChainEntry entry, Origin origin) {
    }

    /**
     * Marks an instance as now owned by a newer chain: this one will not close it.
     *
     * @param filter an instance of this chain
     */
    void handOver(ProxyFilter filter) {
        handedOver.add(filter);
    }

    /**
     * Leaves the instances that {@code other} holds as well (carried over by a reload) to {@code
     * other}: this chain will not close them. Called on the old chain when the new one is swapped
     * in, and on a new chain that is dropped, so that it does not close the running instances.
     *
     * @param other the chain that owns the shared instances from now on
     */
    public void yieldSharedTo(FilterChain other) {
        for (ChainEntry mine : entries) {
            for (ChainEntry theirs : other.entries) {
                if (mine.filter() == theirs.filter()) {
                    handOver(mine.filter());
                }
            }
        }
    }

    /**
     * @param action runs once, after the filters were closed
     */
    public void onClosed(Runnable action) {
        onClosed.add(action);
    }

    /**
     * Counts one more user, unless the chain is already closed. Lock-free: one compare-and-set.
     *
     * @return whether the chain can be used
     */
    public boolean tryRetain() {
        for (int n = users.get(); n > 0; n = users.get()) {
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the filters are closed when the last user lets go: the last user may be an exchange
     * ending on an I/O thread, and {@code close()} of a filter may block.
     *
     * @param executor runs the closing; by default the releasing thread
     */
    public void closeOn(Executor executor) {
        this.closer = executor;
    }

    /** Lets go of one use; the last one closes the chain. */
    public void release() {
        if (users.decrementAndGet() == 0) {
            try {
                closer.execute(this::closeFilters);
            } catch (RejectedExecutionException e) {
                closeFilters();
            }
        }
    }

    /** @return the users now: the holder (while current) plus the exchanges that run on it */
    public int users() {
        return Math.max(0, users.get());
    }

    /** @return whether the filters were closed */
    public boolean closed() {
        return users.get() <= 0;
    }

    /**
     * Lets go of the holder's use: the chain closes now, or once its last exchange ended. Same as
     * {@link #release()}; the name tells the holder's intent.
     */
    @Override
    public void close() {
        release();
    }

    private void closeFilters() {
        for (ChainEntry entry : entries) {
            if (handedOver.contains(entry.filter())) {
                continue;
            }
            try {
                entry.filter().close();
            } catch (RuntimeException e) {
                LOG.warn("Filter {} failed to close: {}", entry.name(), e.toString());
            }
        }
        List<Runnable> actions;
        synchronized (onClosed) {
            actions = List.copyOf(onClosed);
            onClosed.clear();
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("Closing a chain: {}", e.toString());
            }
        }
    }
}
