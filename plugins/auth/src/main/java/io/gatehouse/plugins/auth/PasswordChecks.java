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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks secrets against slow password hashes off the I/O threads, and remembers the ones that
 * matched for a short time, so that a client sending the same credential again is let in without
 * hashing.
 *
 * <ul>
 *   <li>Checks run on the server's blocking executor. At most {@code maxPending} run or wait at
 *       once for this filter; past that, and when the executor refuses work, the stage fails with
 *       {@link Overloaded} (the filter answers 503) instead of queueing without bound.</li>
 *   <li>Concurrent checks of the same credential share one hash computation.</li>
 *   <li>A match is remembered under a {@link Digests.Key} (salted SHA-256 of the credential) in a
 *       bounded Caffeine cache, with the store entry that matched: a caller treats a remembered
 *       match as valid only while that entry is still the current one, so a reloaded file with a
 *       new hash takes effect at once. Failures are never remembered.</li>
 * </ul>
 * Thread-safe.
 */
final class PasswordChecks {

    /** The stage's failure when too many checks are under way: answer 503, do not queue. */
    static final class Overloaded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overloaded() {
            super("too many password checks under way", null, false, false);
        }
    }

    private final Executor executor;
    private final int maxPending;
    private final Cache<Digests.Key, Object> matched;
    private final ConcurrentHashMap<Digests.Key, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final byte[] salt = Digests.random(32);

    /**
     * @param executor the blocking executor
     * @param ttl how long a match is remembered; zero: never
     * @param maxEntries how many matches are remembered at most
     * @param maxPending how many checks may run or wait at once
     * @param clock the filter's clock, for the expiry
     */
    PasswordChecks(Executor executor, Duration ttl, long maxEntries, int maxPending, Clock clock) {
        this.executor = executor;
        this.maxPending = maxPending;
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
     * @return whether it matched; failed with {@link Overloaded} when refused
     */
    CompletionStage<Boolean> check(Digests.Key key, PasswordHash hash, byte[] secret, Optional<Object> entry) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            inFlight.remove(key, mine);
            mine.completeExceptionally(new Overloaded());
            return mine;
        }
        mine.whenComplete((ok, failure) -> {
            pending.decrementAndGet();
            inFlight.remove(key, mine);
            if (Boolean.TRUE.equals(ok)) {
                entry.ifPresent(e -> matched.put(key, e));
            }
        });
        try {
            executor.execute(() -> {
                try {
                    mine.complete(hash.matches(secret));
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            mine.completeExceptionally(new Overloaded());
        }
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
        return pending.get();
    }
}
