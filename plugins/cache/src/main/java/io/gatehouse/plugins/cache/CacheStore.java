package io.gatehouse.plugins.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.api.HttpFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stored responses in memory, bounded by bytes: Caffeine weighs each key by the bodies and heads
 * of all its variants and evicts the least valuable (W-TinyLFU) when the budget is exceeded.
 * A key holds one entry per variant (its {@code Vary} values).
 */
final class CacheStore {

    private final Cache<String, List<Entry>> entries;
    private final long maxObjectSize;

    /**
     * @param maxBytes the byte budget of all entries
     * @param maxObjectSize the largest body stored
     */
    CacheStore(long maxBytes, long maxObjectSize) {
        this.maxObjectSize = maxObjectSize;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .<String, List<Entry>>weigher((key, variants) -> {
                    long weight = key.length();
                    for (Entry e : variants) {
                        weight += e.weight();
                    }
                    return (int) Math.min(Integer.MAX_VALUE, weight);
                })
                .executor(Runnable::run)
                .build();
    }

    long maxObjectSize() {
        return maxObjectSize;
    }

    /** @return the variant of {@code key} that may serve a request with {@code requestHeaders}, if any */
    Optional<Entry> find(String key, HttpFields requestHeaders) {
        List<Entry> variants = entries.getIfPresent(key);
        if (variants == null) {
            return Optional.empty();
        }
        for (Entry e : variants) {
            if (e.matches(requestHeaders)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** @return whether {@code key} has any stored variant */
    boolean hasKey(String key) {
        return entries.getIfPresent(key) != null;
    }

    /** Stores {@code entry}, replacing the variant with the same {@code Vary} values. */
    void put(String key, Entry entry) {
        if (entry.bodyLength() > maxObjectSize) {
            return;
        }
        entries.asMap().compute(key, (k, variants) -> {
            List<Entry> next = new ArrayList<>();
            if (variants != null) {
                for (Entry e : variants) {
                    if (!e.vary().equals(entry.vary())) {
                        next.add(e);
                    }
                }
            }
            next.add(entry);
            return List.copyOf(next);
        });
    }

    /** Drops every variant of {@code key}. */
    void invalidate(String key) {
        entries.invalidate(key);
    }

    /** @return how many keys were dropped: all those starting with {@code prefix} */
    int invalidatePrefix(String prefix) {
        List<String> doomed = new ArrayList<>();
        for (String key : entries.asMap().keySet()) {
            if (key.startsWith(prefix)) {
                doomed.add(key);
            }
        }
        entries.invalidateAll(doomed);
        return doomed.size();
    }

    /** @return the bytes the stored entries weigh now */
    long weight() {
        entries.cleanUp();
        return entries.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    long keys() {
        return entries.estimatedSize();
    }
}
