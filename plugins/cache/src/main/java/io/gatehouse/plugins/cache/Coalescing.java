package io.gatehouse.plugins.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request coalescing: of concurrent misses for one key, one (the leader) goes to the origin and
 * the others wait for it, up to {@code coalesce-wait}, then look again.
 */
final class Coalescing {

    /**
     * One miss that others wait for.
     *
     * @param id the key it fetches
     * @param done completed when the followers may look again
     */
    record Lead(String id, CompletableFuture<Void> done) {
    }

    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Duration wait;

    /** @param wait how long a follower waits at most */
    Coalescing(Duration wait) {
        this.wait = wait;
    }

    /** @return whether misses are coalesced at all ({@code coalesce-wait} not 0) */
    boolean enabled() {
        return !wait.isZero();
    }

    /** @return the lead of {@code id} when no miss for it is in flight, otherwise empty (then {@link #follow}) */
    Optional<Lead> lead(String id) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        return inFlight.putIfAbsent(id, mine) == null ? Optional.of(new Lead(id, mine)) : Optional.empty();
    }

    /** @return completes when the miss in flight for {@code id} released its followers, or after the wait; at once when none is in flight */
    CompletableFuture<Void> follow(String id) {
        CompletableFuture<Void> leader = inFlight.get(id);
        if (leader == null) {
            return CompletableFuture.completedFuture(null);
        }
        return leader.copy().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Releases the followers of {@code lead}: it stored its entry, or will not. Idempotent. */
    void release(Lead lead) {
        inFlight.remove(lead.id(), lead.done());
        lead.done().complete(null);
    }

}
