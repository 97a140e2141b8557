package io.gatehouse.plugins.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.api.HttpFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stored responses in memory, bounded by bytes: Caffeine weighs each primary key with
 * everything its variants hold ({@link Variants#weight()}) and evicts the least valuable
 * (W-TinyLFU) when the budget is exceeded. A primary key ({@link CacheKey}) holds at most
 * {@code maxVariants} variants ({@link Variants}).
 */
final class CacheStore {

    private final Cache<String, Variants> entries;
    private final long maxObjectSize;
    private final int maxVariants;

    /**
     * @param maxBytes the byte budget of all entries
     * @param maxObjectSize the largest body stored
     * @param maxVariants the most variants kept per primary key
     */
    CacheStore(long maxBytes, long maxObjectSize, int maxVariants) {
        this.maxObjectSize = maxObjectSize;
        this.maxVariants = maxVariants;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .<String, Variants>weigher((key, variants) ->
                        (int) Math.min(Integer.MAX_VALUE, 2L * Entry.OVERHEAD + key.length() + variants.weight()))
                .executor(Runnable::run)
                .build();
    }

    long maxObjectSize() {
        return maxObjectSize;
    }

    /**
     * @param key the primary key
     * @param context the request's context ({@link KeyContext#id()})
     * @param requestHeaders the request's fields, for {@code Vary}
     * @return the variant that may serve the request, if any
     */
    Optional<Entry> find(String key, String context, HttpFields requestHeaders) {
        Variants variants = entries.getIfPresent(key);
        return variants == null ? Optional.empty() : variants.find(context, requestHeaders);
    }

    /** @return whether {@code key} has any stored variant */
    boolean hasKey(String key) {
        return entries.getIfPresent(key) != null;
    }

    /** @return how many variants {@code key} has */
    int variants(String key) {
        Variants variants = entries.getIfPresent(key);
        return variants == null ? 0 : variants.size();
    }

    /** Stores {@code entry} as the variant of {@code key} for {@code context} and its {@code Vary} values. */
    void put(String key, String context, Entry entry) {
        if (entry.bodyLength() > maxObjectSize) {
            return;
        }
        entries.asMap().compute(key, (k, variants) -> (variants == null ? Variants.NONE : variants).with(context, entry, maxVariants));
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
