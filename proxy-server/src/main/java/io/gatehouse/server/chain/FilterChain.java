package io.gatehouse.server.chain;

import io.gatehouse.server.metrics.FilterMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * An immutable snapshot of the configured filter instances, in config order. An exchange keeps
 * the snapshot it started with, so a reload can swap in a new one atomically.
 */
public final class FilterChain implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterChain.class);

    private final List<ChainEntry> entries;
    private final FilterMeters[] meters;
    private final boolean timed;

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
        if (entries.size() != meters.size()) {
            throw new IllegalArgumentException(entries.size() + " entries but " + meters.size() + " meters");
        }
        this.entries = List.copyOf(entries);
        this.meters = meters.toArray(new FilterMeters[0]);
        this.timed = this.entries.stream().anyMatch(entry -> entry.filter().readsTimings());
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

    /** Closes every filter instance, logging (not throwing) failures. */
    @Override
    public void close() {
        for (ChainEntry entry : entries) {
            try {
                entry.filter().close();
            } catch (RuntimeException e) {
                LOG.warn("Filter {} failed to close: {}", entry.name(), e.toString());
            }
        }
    }
}
