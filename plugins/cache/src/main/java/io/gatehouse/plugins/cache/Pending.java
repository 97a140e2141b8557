package io.gatehouse.plugins.cache;

import java.util.Optional;

/**
 * What the cache decided for one exchange on its way to the origin, for its response.
 *
 * @param key the primary key
 * @param context the context the lookup used; the response is stored only if its routing is still the same
 * @param clientTarget the client's target ({@link CacheKey#clientTarget})
 * @param requestTime when the request was forwarded, epoch seconds
 * @param revalidating the stale entry the cache's own conditional request revalidates, if any
 * @param forward the {@code fwd} value of {@code Cache-Status} (RFC 9211), with any {@code detail}
 * @param mayStore whether the response may be stored (a GET without a body or range)
 * @param requestDirectives the request's Cache-Control
 * @param leading the coalesced miss this exchange leads, if any
 * @param stale the stored response that may answer instead of an error (stale-if-error), with or without a validator
 */
record Pending(String key, KeyContext context, String clientTarget, long requestTime, Optional<Entry> revalidating, String forward,
               boolean mayStore, Directives requestDirectives, Optional<Coalescing.Lead> leading, Optional<Entry> stale) {

    /** @return a pending exchange that is only passed through, never stored */
    static Pending passThrough(String forward, long now, Directives requestDirectives) {
        return new Pending("", new KeyContext("", ""), "", now, Optional.empty(), forward, false, requestDirectives, Optional.empty(),
                Optional.empty());
    }

    /** @return a pending miss or revalidation that may be stored */
    static Pending storing(String key, KeyContext context, String clientTarget, long now, Optional<Entry> revalidating, String forward,
                           Directives requestDirectives) {
        return new Pending(key, context, clientTarget, now, revalidating, forward, true, requestDirectives, Optional.empty(), revalidating);
    }

    /** @return this, leading a coalesced miss */
    Pending leading(Coalescing.Lead lead) {
        return new Pending(key, context, clientTarget, requestTime, revalidating, forward, mayStore, requestDirectives, Optional.of(lead), stale);
    }

    /** @return this, with a stored response that may answer instead of an error */
    Pending withStale(Optional<Entry> entry) {
        return new Pending(key, context, clientTarget, requestTime, revalidating, forward, mayStore, requestDirectives, leading, entry);
    }
}
