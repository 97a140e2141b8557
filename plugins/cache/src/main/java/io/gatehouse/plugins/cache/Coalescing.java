package io.gatehouse.plugins.cache;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.HttpFields;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request coalescing: of concurrent misses for one key, one (the leader) goes to the origin and
 * the others wait for it, up to {@code coalesce-wait}, then look again.
 *
 * <p>The leader's body reaches the store only as fast as the leader's own client reads it (the
 * proxy passes the origin's body on with back-pressure), so waiting for the whole body would
 * make every follower as slow as that one client. The rule: the followers wait for the complete
 * entry only while the leader's body is within {@value #SMALL_BODY} bytes, which the
 * connection's buffers take without the client reading, so that part arrives at the origin's
 * pace. Once the leader's body passes that mark without having ended (or its response is not
 * stored at all), the followers are released and go to the origin themselves. (The mark is
 * counted on the body: a chunked body's length is known only at its end.)
 */
final class Coalescing {

    /** The largest declared body the followers wait for. */
    static final int SMALL_BODY = 64 * 1024;

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

    /** Releases the followers of {@code lead}: it stored its entry, or they should not wait for it. Idempotent. */
    void release(Lead lead) {
        inFlight.remove(lead.id(), lead.done());
        lead.done().complete(null);
    }

    /**
     * @param lead the leader's miss
     * @param store the observer that stores the leader's body
     * @return an observer that passes everything to {@code store} and releases the followers once
     *     the body is longer than {@value #SMALL_BODY} bytes
     */
    BodyObserver releasingPastSmallBody(Lead lead, BodyObserver store) {
        return new BodyObserver() {
            private long seen;

            @Override
            public void onData(ByteBuffer data) {
                seen += data.remaining();
                store.onData(data);
                if (seen > SMALL_BODY) {
                    release(lead);
                }
            }

            @Override
            public void onEnd(HttpFields trailers) {
                store.onEnd(trailers);
            }

            @Override
            public void onAbort(Throwable cause) {
                store.onAbort(cause);
            }
        };
    }
}
