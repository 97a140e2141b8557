package io.gatehouse.plugins.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Checks secrets against slow password hashes off the I/O threads, and remembers the ones that
 * matched for a short time, so that a client sending the same credential again is let in without
 * hashing.
 *
 * <ul>
 *   <li>Checks run on the server's blocking executor ({@link BoundedWork}): at most {@code
 *       maxPending} at once for this mechanism, 503 past that.</li>
 *   <li>Concurrent checks of the same credential share one hash computation.</li>
 *   <li>A match is remembered under a {@link Digests.Key} (salted SHA-256 of the credential) in a
 *       bounded Caffeine cache, with the store entry that matched: a caller treats a remembered
 *       match as valid only while that entry is still the current one, so a reloaded file with a
 *       new hash takes effect at once. Failures are never remembered.</li>
 * </ul>
 * Thread-safe.
 */
final class PasswordChecks {

    private final BoundedWork work;
    private final Cache<Digests.Key, Object> matched;
    private final ConcurrentHashMap<Digests.Key, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final byte[] salt = Digests.random(32);

    /**
     * The checks of a mechanism, on the filter's blocking executor and clock.
     *
     * @param cache the mechanism's cache settings
     * @param context the filter's context
     * @return the checks
     */
    static PasswordChecks of(CacheSettings cache, io.gatehouse.api.FilterContext context) {
        return new PasswordChecks(context.blockingExecutor(), cache.ttl(), cache.size(), cache.maxPending(), context.clock());
    }

    /**
     * @param executor the blocking executor
     * @param ttl how long a match is remembered; zero: never
     * @param maxEntries how many matches are remembered at most
     * @param maxPending how many checks may run or wait at once
     * @param clock the filter's clock, for the expiry
     */
    PasswordChecks(Executor executor, Duration ttl, long maxEntries, int maxPending, Clock clock) {
        this.work = new BoundedWork(executor, maxPending);
        this.matched = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(ttl.isZero() ? 0 : maxEntries)
                .ticker(ticker(clock)).executor(Runnable::run).build();
    }

    /**
     * @param clock the filter's clock
     * @return Caffeine's ticker on that clock (the system's nano ticker for the system clock)
     */
    static Ticker ticker(Clock clock) {
        return clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone()) ? Ticker.systemTicker()
                : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    /**
     * @param parts the credential (user and password, or the key)
     * @return its cache key
     */
    Digests.Key key(String... parts) {
        return Digests.Key.of(salt, parts);
    }

    /**
     * @param key the credential's key
     * @return the entry it matched recently, if remembered
     */
    Optional<Object> remembered(Digests.Key key) {
        return Optional.ofNullable(matched.getIfPresent(key));
    }

    /**
     * Checks {@code secret} against {@code hash} on the blocking executor.
     *
     * @param key the credential's key
     * @param hash the stored hash (a dummy of equal cost for an unknown user)
     * @param secret the presented secret, UTF-8
     * @param entry what to remember on a match; empty: a check whose match must not be remembered
     * @return whether it matched; failed with {@link BoundedWork.Overloaded} when refused
     */
    CompletionStage<Boolean> check(Digests.Key key, PasswordHash hash, byte[] secret, Optional<Object> entry) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        mine.whenComplete((ok, failure) -> {
            inFlight.remove(key, mine);
            if (Boolean.TRUE.equals(ok)) {
                entry.ifPresent(e -> matched.put(key, e));
            }
        });
        work.submit(() -> hash.matches(secret)).whenComplete((ok, failure) -> {
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(ok);
            }
        });
        return mine;
    }

    /**
     * Remembers a match made elsewhere (a fast hash checked on the calling thread).
     *
     * @param key the credential's key
     * @param entry the entry it matched
     */
    void remember(Digests.Key key, Object entry) {
        matched.put(key, entry);
    }

    /** Forgets every remembered match (the user or key store changed). */
    void forgetAll() {
        matched.invalidateAll();
    }

    /** @return how many matches are remembered, approximately */
    long size() {
        return matched.estimatedSize();
    }

    /** @return how many checks run or wait now */
    int pending() {
        return work.pending();
    }
}
