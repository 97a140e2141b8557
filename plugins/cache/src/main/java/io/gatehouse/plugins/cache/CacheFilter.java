package io.gatehouse.plugins.cache;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Key;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.plugins.cache.fanout.FanOut;
import io.gatehouse.plugins.cache.fanout.InvalidationMessage;
import io.gatehouse.api.metrics.FilterMetrics;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A shared HTTP cache (RFC 9111): answers fresh hits itself, revalidates stale entries with the
 * origin, stores what may be stored as it streams past, invalidates on unsafe methods, and says
 * what it did in {@code Cache-Status} (RFC 9211).
 *
 * <p>An entry is found by the URI the client asked for ({@link CacheKey}) and then by the
 * request's context and {@code Vary} values ({@link KeyContext}, {@link Variants}). The routing
 * part of the context is the one the filters before the cache chose; a response whose routing a
 * later filter changed is not stored.
 */
final class CacheFilter implements ProxyFilter {

    static final String STATUS = "Cache-Status";
    static final String PURGE_TOKEN = Invalidation.PURGE_TOKEN;
    private static final String NAME = "Gatehouse";
    /** The safe methods (RFC 9110 §9.2.1); every other method, registered or not, is unsafe and invalidates (RFC 9111 §4.4). */
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Key<Pending> PENDING = Key.of("cache.pending", Pending.class);

    private final CacheConfig config;
    private final Clock clock;
    private final CacheStore store;
    private final BackgroundRefresh refresh;
    private final Coalescing coalescing;
    private final Invalidation invalidation;
    private final ResponsePolicy policy;
    private final FilterMetrics.Counter hits;
    private final FilterMetrics.Counter misses;

    CacheFilter(CacheConfig config, Clock clock, Executor blocking) {
        this(config, clock, blocking, apply -> FanOut.NONE, FilterMetrics.none());
    }

    /**
     * @param fanOut makes the fan-out of this cache, given what applies another instance's invalidation here
     * @param metrics where the hits ({@code cache.hits}: answered from the store) and misses
     *     ({@code cache.misses}: looked up and forwarded, revalidations included) are counted, and
     *     what is stored is read ({@code cache.stored.keys}, {@code cache.stored.bytes})
     */
    CacheFilter(CacheConfig config, Clock clock, Executor blocking, Function<Consumer<InvalidationMessage>, FanOut> fanOut,
                FilterMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.store = new CacheStore(config.maxSize(), config.maxObjectSize(), config.maxVariants());
        this.refresh = new BackgroundRefresh(blocking);
        this.coalescing = new Coalescing(config.coalesceWait());
        Consumer<InvalidationMessage> applyHere = message -> invalidation().apply(message);
        this.invalidation = new Invalidation(store, config.key(), config.purgeToken(), fanOut.apply(applyHere));
        this.policy = new ResponsePolicy(config);
        this.hits = metrics.counter("cache.hits");
        this.misses = metrics.counter("cache.misses");
        metrics.gauge("cache.stored.keys", store::keys);
        metrics.gauge("cache.stored.bytes", store::weight);
        invalidation.startFanOut();
    }

    private Invalidation invalidation() {
        return invalidation;
    }

    CacheStore store() {
        return store;
    }

    private long now() {
        return clock.millis() / 1000;
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        RequestHead request = exchange.request();
        RequestFields fields = RequestFields.read(request.headers());
        Optional<BackgroundRefresh.Replay> replay = refresh.claim(fields, request);
        String method = request.method();
        if (method.equals("PURGE") && invalidation.purging()) {
            return FilterResult.respond(invalidation.purge(request));
        }
        long now = now();
        Directives requestDirectives = Directives.parse(fields.cacheControl());
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return passThrough(exchange, "method", now, requestDirectives);
        }
        OptionalLong bodyLength = request.bodyLength();
        if (bodyLength.isEmpty() || bodyLength.getAsLong() > 0) { // what the origin answers may depend on the body
            return passThrough(exchange, "bypass; detail=request-body", now, requestDirectives);
        }
        String clientTarget = CacheKey.clientTarget(request);
        Optional<String> routing = KeyContext.routing(exchange, clientTarget);
        if (routing.isEmpty()) {
            return passThrough(exchange, "bypass; detail=unnamed-upstream", now, requestDirectives);
        }
        if (replay.isPresent()) { // our own stale-while-revalidate refresh: fetch and store
            replay.get().restoreForwarding(request.headers());
            KeyContext context = new KeyContext(replay.get().client(), routing.get());
            exchange.setAttribute(PENDING, Pending.storing(replay.get().key(), context, clientTarget, now, Optional.empty(), "stale",
                    requestDirectives));
            return FilterResult.proceed();
        }
        String key = config.key().primary(request, clientTarget);
        KeyContext context = new KeyContext(KeyContext.client(request, fields), routing.get());
        if (fields.range()) {
            return rangeFromStore(exchange, key, context, fields, requestDirectives, now);
        }
        return lookUp(exchange, key, context, clientTarget, fields, requestDirectives, now);
    }

    /**
     * A {@code Range} request: answered from a fresh stored complete 200 of a GET (RFC 9110 §14),
     * else passed to the origin, whose partial answer is not stored.
     */
    private CompletionStage<FilterResult> rangeFromStore(Exchange exchange, String key, KeyContext context, RequestFields fields,
                                                         Directives requestDirectives, long now) {
        RequestHead request = exchange.request();
        Optional<Entry> found = request.method().equals("GET") ? store.find(key, context.id(), request.headers()) : Optional.empty();
        if (found.isPresent() && found.get().status() == 200 && Serving.usable(found.get(), requestDirectives, now)
                && !Serving.mustValidate(found.get(), requestDirectives, fields.pragmaNoCache())) {
            Entry entry = found.get();
            return FilterResult.respond(RangeAnswers.answer(entry, request.headers(), now,
                    record(exchange, NAME + "; hit; ttl=" + entry.ttl(now))));
        }
        return passThrough(exchange, "partial", now, requestDirectives);
    }

    private CompletionStage<FilterResult> lookUp(Exchange exchange, String key, KeyContext context, String clientTarget,
                                                 RequestFields fields, Directives requestDirectives, long now) {
        RequestHead request = exchange.request();
        Optional<Entry> found = store.find(key, context.id(), request.headers());
        String forward = found.isPresent() ? "stale" : store.hasKey(key) ? "vary-miss" : "uri-miss";
        if (found.isPresent()) {
            Entry entry = found.get();
            boolean mustValidate = Serving.mustValidate(entry, requestDirectives, fields.pragmaNoCache());
            if (!mustValidate && Serving.usable(entry, requestDirectives, now)) {
                return FilterResult.respond(Serving.serve(entry, request, fields.conditional(), now,
                        record(exchange, NAME + "; hit; ttl=" + entry.ttl(now))));
            }
            if (!mustValidate && Serving.staleWhileRevalidate(entry, now)) {
                refresh.start(key, context, exchange, clientTarget);
                return FilterResult.respond(Serving.serve(entry, request, fields.conditional(), now,
                        record(exchange, NAME + "; hit; ttl=" + entry.ttl(now) + "; detail=stale-while-revalidate")));
            }
            forward = mustValidate ? "request" : "stale";
            if ((entry.etag().isPresent() || entry.lastModified().isPresent()) && !fields.conditional()) {
                entry.etag().ifPresent(etag -> request.headers().set("If-None-Match", etag));
                if (entry.etag().isEmpty()) {
                    request.headers().set("If-Modified-Since", entry.lastModified().get());
                }
                exchange.setAttribute(PENDING, Pending.storing(key, context, clientTarget, now, Optional.of(entry), forward, requestDirectives));
                return FilterResult.proceed();
            }
        }
        if (requestDirectives.has("only-if-cached")) {
            String cacheStatus = record(exchange, NAME + "; fwd=" + forward + "; detail=only-if-cached");
            return FilterResult.respond(Response.status(504).header(STATUS, cacheStatus)
                    .header("Content-Type", "text/plain; charset=utf-8").body("Gateway Timeout: not in the cache\n").build());
        }
        String fwd = requestDirectives.has("no-cache") ? "request" : forward;
        // Without a validator (or with the client's own conditionals) the stale entry is still the answer to an error.
        Pending miss = Pending.storing(key, context, clientTarget, now, Optional.empty(), fwd, requestDirectives).withStale(found);
        if (request.method().equals("GET") && found.isEmpty() && coalescing.enabled()) {
            String id = key + '\n' + context.id();
            Optional<Coalescing.Lead> lead = coalescing.lead(id);
            if (lead.isEmpty()) { // another request is fetching this key: wait for it (bounded), then serve what it stored
                return coalescing.follow(id).handle((done, failure) -> afterWaiting(exchange, miss));
            }
            exchange.setAttribute(PENDING, miss.leading(lead.get()));
            return FilterResult.proceed();
        }
        exchange.setAttribute(PENDING, miss);
        return FilterResult.proceed();
    }

    private FilterResult afterWaiting(Exchange exchange, Pending pending) {
        long now = now();
        Optional<Entry> stored = store.find(pending.key(), pending.context().id(), exchange.request().headers());
        if (stored.isPresent() && Serving.usable(stored.get(), pending.requestDirectives(), now) && !stored.get().directives().has("no-cache")) {
            return FilterResult.respondResult(Serving.serve(stored.get(), exchange.request(), true, now, record(exchange, NAME + "; hit; ttl="
                    + stored.get().ttl(now) + "; collapsed")));
        }
        exchange.setAttribute(PENDING, Pending.storing(pending.key(), pending.context(), pending.clientTarget(), now, Optional.empty(),
                pending.forward(), pending.requestDirectives()));
        return FilterResult.proceedResult();
    }

    private static CompletionStage<FilterResult> passThrough(Exchange exchange, String forward, long now, Directives requestDirectives) {
        exchange.setAttribute(PENDING, Pending.passThrough(forward, now, requestDirectives));
        return FilterResult.proceed();
    }

    /** The leader of a coalesced miss is done (stored, not storable, failed, or not worth waiting for): release its waiters. */
    private void release(Pending pending) {
        pending.leading().ifPresent(coalescing::release);
    }

    @Override
    public void onComplete(Exchange exchange, Outcome outcome) {
        Optional<Pending> pending = exchange.attribute(PENDING);
        if (pending.isPresent()) {
            release(pending.get());
            if (pending.get().mayStore()) {
                misses.increment();
            }
        } else if (exchange.attribute(Keys.CACHE_STATUS).map(status -> status.contains("; hit")).orElse(false)) {
            hits.increment();
        }
    }

    /** Records the Cache-Status value for later filters and logs ({@link Keys#CACHE_STATUS}), even when the field is stripped. */
    private static String record(Exchange exchange, String cacheStatus) {
        exchange.setAttribute(Keys.CACHE_STATUS, cacheStatus);
        return cacheStatus;
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<Pending> found = exchange.attribute(PENDING);
        Optional<ResponseHead> head = exchange.response();
        if (found.isEmpty() || head.isEmpty()) {
            return FilterResult.proceed();
        }
        Pending pending = found.get();
        ResponseHead response = head.get();
        int status = response.status();
        RequestHead request = exchange.request();
        if (!SAFE.contains(request.method()) && status >= 200 && status < 400) {
            invalidation.unsafeRequestSucceeded(request, response.headers());
        }
        if (!pending.mayStore()) {
            policy.finish(response, record(exchange, NAME + "; fwd=" + pending.forward()));
            return FilterResult.proceed();
        }
        long now = now();
        Directives directives = policy.directives(response.headers());
        boolean sameRouting = KeyContext.routing(exchange, pending.clientTarget()).equals(Optional.of(pending.context().routing()));
        if (pending.stale().isPresent() && status >= 500 && Serving.staleIfError(pending.stale().get(), directives,
                pending.requestDirectives(), now)) {
            // Also a 502/504 the proxy made for a refused, reset or silent origin connection (every 5xx, RFC 5861 §4).
            Entry stale = pending.stale().get();
            release(pending);
            return FilterResult.respond(policy.withoutStrippedFields(Serving.serve(stale, false, now, record(exchange,
                    NAME + "; fwd=" + pending.forward() + "; fwd-status=" + status + "; ttl=" + stale.ttl(now) + "; detail=stale-if-error"))));
        }
        if (pending.revalidating().isPresent()) {
            Entry stale = pending.revalidating().get();
            if (status == 304) {
                Entry refreshed = policy.refreshed(stale, request.headers(), response.headers(), pending.requestTime(), now);
                if (sameRouting) {
                    store.put(pending.key(), pending.context().id(), refreshed);
                }
                return FilterResult.respond(policy.withoutStrippedFields(Serving.serve(refreshed, false, now, record(exchange,
                        NAME + "; fwd=" + pending.forward() + "; fwd-status=304" + (sameRouting ? "; stored" : "") + "; ttl=" + refreshed.ttl(now)))));
            }
        }
        if (!request.method().equals("GET")) {
            policy.finish(response, record(exchange, NAME + "; fwd=" + pending.forward()));
            return FilterResult.proceed();
        }
        String fwd = NAME + "; fwd=" + pending.forward();
        Optional<String> refusal = sameRouting ? Storability.refusal(request.method(), request.headers(), pending.requestDirectives(),
                status, response.headers(), directives, policy.targeted(response.headers())) : Optional.of("routed-after-cache");
        long lifetime = policy.lifetime(status, request.headers(), response.headers(), directives, now);
        // Worth storing: fresh for a while, or revalidatable, or servable stale (RFC 5861).
        boolean useful = lifetime > 0 || response.headers().contains("ETag") || response.headers().contains("Last-Modified")
                || directives.has("stale-while-revalidate") || directives.has("stale-if-error");
        if (refusal.isPresent() || !useful) {
            policy.finish(response, record(exchange, fwd + "; detail=" + refusal.orElse("no-freshness")));
            release(pending);
            return FilterResult.proceed();
        }
        String forwarded = fwd + (pending.revalidating().isPresent() ? "; fwd-status=" + status : "");
        String stored = forwarded + "; stored; ttl=" + lifetime;
        boolean storedNow = store(exchange, pending, response, directives, lifetime, now, stored);
        // The head leaves before the body: it says "stored" only when the entry already is (RFC 9211 §2.6).
        policy.finish(response, storedNow ? record(exchange, stored) : record(exchange, forwarded + "; ttl=" + lifetime));
        return FilterResult.proceed();
    }

    /**
     * Stores a bodiless response (204) at once; otherwise tees the body into a buffer as it streams
     * to the client and stores the entry when it is complete and not too big, then records
     * {@code storedStatus} for the logs.
     *
     * @return whether the entry is stored already
     */
    private boolean store(Exchange exchange, Pending pending, ResponseHead response, Directives directives, long lifetime, long now,
                          String storedStatus) {
        HttpFields headers = ResponsePolicy.storedFields(response);
        List<Entry.VaryField> vary = ResponsePolicy.vary(headers, exchange.request().headers());
        long initialAge = Freshness.initialAge(response.headers(), pending.requestTime(), now);
        int status = response.status();
        if (status == 204) { // no content (RFC 9110 §15.3.5): nothing to wait for
            store.put(pending.key(), pending.context().id(), new Entry(status, headers, new byte[0], pending.requestTime(), now, initialAge,
                    lifetime, directives, vary));
            release(pending);
            return true;
        }
        // the framed length (the server keeps Content-Length to itself); a stored Content-Length otherwise
        long declared = response.bodyLength().orElse(Storability.declaredLength(headers));
        if (declared > store.maxObjectSize()) {
            release(pending); // too large to store: the followers need not wait for its body
            return false;
        }
        BodyObserver storing = BodyObserver.collecting(store.maxObjectSize(), declared < 0 ? OptionalLong.empty() : OptionalLong.of(declared), body -> {
            // the head and length as the client gets them: a filter in front of the cache may have changed the body
            // after this hook ran (compression), and then its head and length too
            ResponseHead sent = exchange.response().orElse(response);
            HttpFields sentFields = sent == response ? headers : ResponsePolicy.storedFields(sent);
            long sentLength = sent.bodyLength().orElse(Storability.declaredLength(sentFields));
            body.filter(bytes -> sentLength < 0 || bytes.length == sentLength) // else it would be served as complete
                    .ifPresent(bytes -> {
                        store.put(pending.key(), pending.context().id(), new Entry(status, sentFields, bytes, pending.requestTime(), now,
                                initialAge, lifetime, directives, sent == response ? vary : ResponsePolicy.vary(sentFields, exchange.request().headers())));
                        record(exchange, storedStatus);
                    });
            release(pending);
        });
        exchange.observeResponseBody(pending.leading().map(lead -> coalescing.releasingPastSmallBody(lead, storing)).orElse(storing));
        return false;
    }

    @Override
    public Optional<String> status() {
        return Optional.of("cache: " + store.keys() + " keys, " + store.weight() + " of " + config.maxSize() + " bytes; "
                + invalidation.fanOutState() + "\n");
    }

    @Override
    public void close() {
        invalidation.close();
    }
}
