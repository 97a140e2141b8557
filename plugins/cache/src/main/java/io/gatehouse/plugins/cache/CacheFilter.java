package io.gatehouse.plugins.cache;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Key;
import io.gatehouse.api.Keys;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;
import io.gatehouse.api.ResponseHead;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A shared HTTP cache (RFC 9111): answers fresh hits itself, revalidates stale entries with the
 * origin, stores what may be stored as it streams past, invalidates on unsafe methods, and says
 * what it did in {@code Cache-Status} (RFC 9211).
 */
final class CacheFilter implements ProxyFilter {

    static final String STATUS = "Cache-Status";
    static final String PURGE_TOKEN = "X-Purge-Token";
    private static final String NAME = "Gatehouse";
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "DELETE", "PATCH");
    /** Fields of a 304 that must not replace the stored ones (RFC 9111 §3.2). */
    private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding", "transfer-encoding", "content-range");

    /** What the cache decided for one exchange on the way in. */
    private record State(String key, long requestTime, Optional<Entry> revalidating, String forward, Directives requestDirectives,
                         Optional<CompletableFuture<Void>> leading) {

        State(String key, long requestTime, Optional<Entry> revalidating, String forward, Directives requestDirectives) {
            this(key, requestTime, revalidating, forward, requestDirectives, Optional.empty());
        }
    }

    private static final Key<State> STATE = Key.of("cache.state", State.class);

    private final CacheConfig config;
    private final Clock clock;
    private final CacheStore store;
    private final BackgroundRefresh refresh;
    /** Misses on their way to the origin, by key: later misses for the same key wait for them (request coalescing). */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    CacheFilter(CacheConfig config, Clock clock, java.util.concurrent.Executor blocking) {
        this.config = config;
        this.clock = clock;
        this.store = new CacheStore(config.maxSize(), config.maxObjectSize());
        this.refresh = new BackgroundRefresh(blocking);
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
        String method = request.method();
        if (method.equals("PURGE") && config.purgeToken().isPresent()) {
            return FilterResult.respond(purge(request));
        }
        long now = now();
        Directives requestDirectives = Directives.parse(request.headers().all("Cache-Control"));
        String key = config.key().of(request);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.setAttribute(STATE, new State(key, now, Optional.empty(), "method", requestDirectives));
            return FilterResult.proceed();
        }
        if (request.headers().contains("Range")) {
            exchange.setAttribute(STATE, new State(key, now, Optional.empty(), "partial", requestDirectives));
            return FilterResult.proceed();
        }
        if (request.bodyLength().isEmpty() || request.bodyLength().getAsLong() > 0) { // the answer may depend on the body
            exchange.setAttribute(STATE, new State(key, now, Optional.empty(), "bypass; detail=request-body", requestDirectives));
            return FilterResult.proceed();
        }
        if (refresh.isRefresh(request)) { // our own stale-while-revalidate refresh: fetch and store
            exchange.setAttribute(STATE, new State(key, now, Optional.empty(), "stale", requestDirectives));
            return FilterResult.proceed();
        }
        Optional<Entry> found = store.find(key, request.headers());
        String forward = found.isPresent() ? "stale" : store.hasKey(key) ? "vary-miss" : "uri-miss";
        if (found.isPresent()) {
            Entry entry = found.get();
            boolean mustValidate = requestDirectives.has("no-cache") || entry.directives().has("no-cache")
                    || (requestDirectives.isEmpty() && request.headers().all("Pragma").stream().anyMatch(p -> p.contains("no-cache")));
            if (!mustValidate && usable(entry, requestDirectives, now)) {
                return FilterResult.respond(serve(entry, request, now, record(exchange, hitStatus(entry, now))));
            }
            if (!mustValidate && staleWhileRevalidate(entry, now)) {
                refresh.start(key, exchange, entry.vary().stream().map(Entry.VaryField::name).toList());
                return FilterResult.respond(serve(entry, request, now,
                        record(exchange, NAME + "; hit; ttl=" + entry.ttl(now) + "; detail=stale-while-revalidate")));
            }
            forward = mustValidate ? "request" : "stale";
            if ((entry.etag().isPresent() || entry.lastModified().isPresent()) && !hasConditionals(request.headers())) {
                entry.etag().ifPresent(etag -> request.headers().set("If-None-Match", etag));
                if (entry.etag().isEmpty()) {
                    request.headers().set("If-Modified-Since", entry.lastModified().get());
                }
                exchange.setAttribute(STATE, new State(key, now, Optional.of(entry), forward, requestDirectives));
                return FilterResult.proceed();
            }
        }
        if (requestDirectives.has("only-if-cached")) {
            String cacheStatus = record(exchange, NAME + "; fwd=" + forward + "; detail=only-if-cached");
            return FilterResult.respond(Response.status(504).header(STATUS, cacheStatus)
                    .header("Content-Type", "text/plain; charset=utf-8").body("Gateway Timeout: not in the cache\n").build());
        }
        String fwd = requestDirectives.has("no-cache") ? "request" : forward;
        if (method.equals("GET") && found.isEmpty() && !config.coalesceWait().isZero()) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> leader = inFlight.putIfAbsent(key, mine);
            if (leader == null) {
                exchange.setAttribute(STATE, new State(key, now, Optional.empty(), fwd, requestDirectives, Optional.of(mine)));
                return FilterResult.proceed();
            }
            // Another request is fetching this key: wait for it (bounded), then serve what it stored.
            return leader.copy().orTimeout(config.coalesceWait().toMillis(), TimeUnit.MILLISECONDS)
                    .handle((done, failure) -> afterWaiting(exchange, key, requestDirectives, fwd));
        }
        exchange.setAttribute(STATE, new State(key, now, Optional.empty(), fwd, requestDirectives));
        return FilterResult.proceed();
    }

    /**
     * {@code PURGE /path} drops every variant of that URI; {@code PURGE /prefix*} every URI under
     * the prefix, on the request's host. Only with the configured token in {@code X-Purge-Token}.
     */
    private Response purge(RequestHead request) {
        byte[] expected = config.purgeToken().orElseThrow().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] given = request.headers().first(PURGE_TOKEN).orElse("").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!java.security.MessageDigest.isEqual(expected, given)) {
            return Response.text(403, "Forbidden: PURGE needs the purge token");
        }
        String path = request.path();
        int purged;
        if (path.endsWith("*")) {
            purged = store.invalidatePrefix(CacheKey.prefix(request.scheme(), request.authority(), path.substring(0, path.length() - 1)));
        } else {
            String key = config.key().of(request);
            purged = store.hasKey(key) ? 1 : 0;
            store.invalidate(key);
        }
        return Response.text(200, "purged " + purged);
    }

    private FilterResult afterWaiting(Exchange exchange, String key, Directives requestDirectives, String forward) {
        long now = now();
        Optional<Entry> stored = store.find(key, exchange.request().headers());
        if (stored.isPresent() && usable(stored.get(), requestDirectives, now) && !stored.get().directives().has("no-cache")) {
            return FilterResult.respondResult(serve(stored.get(), exchange.request(), now, record(exchange, NAME + "; hit; ttl="
                    + stored.get().ttl(now) + "; collapsed")));
        }
        exchange.setAttribute(STATE, new State(key, now, Optional.empty(), forward, requestDirectives));
        return FilterResult.proceedResult();
    }

    /** The leader of a coalesced miss is done (stored, not storable, or failed): release its waiters. */
    private void release(State state) {
        state.leading().ifPresent(future -> {
            inFlight.remove(state.key(), future);
            future.complete(null);
        });
    }

    @Override
    public void onComplete(Exchange exchange, io.gatehouse.api.Outcome outcome) {
        exchange.attribute(STATE).ifPresent(this::release);
    }

    /** Fresh enough for this request: RFC 9111 §4.2, with the request's max-age, min-fresh and max-stale (§5.2.1). */
    private static boolean usable(Entry entry, Directives request, long now) {
        long age = entry.age(now);
        long ttl = entry.ttl(now);
        if (request.seconds("max-age").isPresent() && age > request.seconds("max-age").getAsLong()) {
            return false;
        }
        if (request.seconds("min-fresh").isPresent() && ttl < request.seconds("min-fresh").getAsLong()) {
            return false;
        }
        if (ttl > 0) {
            return true;
        }
        boolean mayServeStale = !(entry.directives().has("must-revalidate") || entry.directives().has("proxy-revalidate")
                || entry.directives().has("s-maxage"));
        if (mayServeStale && request.has("max-stale")) {
            return request.seconds("max-stale").isEmpty() || -ttl <= request.seconds("max-stale").getAsLong();
        }
        return false;
    }

    private static boolean hasConditionals(HttpFields headers) {
        return headers.contains("If-None-Match") || headers.contains("If-Modified-Since") || headers.contains("If-Match")
                || headers.contains("If-Unmodified-Since") || headers.contains("If-Range");
    }

    /** Records the Cache-Status value for later filters and logs ({@link Keys#CACHE_STATUS}), even when the field is stripped. */
    private static String record(Exchange exchange, String cacheStatus) {
        exchange.setAttribute(Keys.CACHE_STATUS, cacheStatus);
        return cacheStatus;
    }

    private static String hitStatus(Entry entry, long now) {
        return NAME + "; hit; ttl=" + entry.ttl(now);
    }

    /** The stored response (or a 304 when the client's conditional matches it), with Age and Cache-Status. */
    private Response serve(Entry entry, RequestHead request, long now, String cacheStatus) {
        return serve(entry, clientConditionalMatches(entry, request.headers()), now, cacheStatus);
    }

    /** As {@link #serve(Entry, RequestHead, long, String)}, for a revalidation: the conditionals were the cache's own. */
    private static Response serve(Entry entry, boolean notModified, long now, String cacheStatus) {
        Response.Builder response = Response.status(notModified ? 304 : entry.status());
        entry.headers().forEach((name, value) -> {
            if (!notModified || !name.toLowerCase(Locale.ROOT).startsWith("content-")) {
                response.header(name, value);
            }
        });
        response.header("Age", Long.toString(entry.age(now)));
        response.header(STATUS, cacheStatus);
        if (!notModified) {
            response.body(entry.content()); // shared, not copied: one stored body serves every hit
        }
        return response.build();
    }

    /** RFC 9110 §13.1.2 (weak comparison) and §13.1.3; If-Modified-Since only without If-None-Match. */
    private static boolean clientConditionalMatches(Entry entry, HttpFields request) {
        List<String> noneMatch = request.all("If-None-Match");
        if (!noneMatch.isEmpty()) {
            if (entry.etag().isEmpty()) {
                return false;
            }
            String etag = weak(entry.etag().get());
            for (String line : noneMatch) {
                for (String tag : line.split(",")) {
                    if (tag.trim().equals("*") || weak(tag.trim()).equals(etag)) {
                        return true;
                    }
                }
            }
            return false;
        }
        Optional<Long> since = request.first("If-Modified-Since").flatMap(Freshness::date);
        Optional<Long> modified = entry.lastModified().flatMap(Freshness::date);
        return since.isPresent() && modified.isPresent() && modified.get() <= since.get();
    }

    private static String weak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<State> found = exchange.attribute(STATE);
        Optional<ResponseHead> head = exchange.response();
        if (found.isEmpty() || head.isEmpty()) {
            return FilterResult.proceed();
        }
        State state = found.get();
        ResponseHead response = head.get();
        int status = response.status();
        long now = now();
        RequestHead request = exchange.request();
        Directives directives = directives(response.headers());

        if (UNSAFE.contains(request.method())) {
            if (status >= 200 && status < 400) {
                invalidate(request, response.headers());
            }
            finish(exchange, response, NAME + "; fwd=method");
            return FilterResult.proceed();
        }
        if (state.revalidating().isPresent()) {
            Entry stale = state.revalidating().get();
            if (status == 304) {
                Entry refreshed = refreshed(stale, request.headers(), response.headers(), state.requestTime(), now);
                store.put(state.key(), refreshed);
                return FilterResult.respond(withoutStrippedFields(serve(refreshed, false, now,
                        record(exchange, NAME + "; fwd=" + state.forward() + "; fwd-status=304; stored; ttl=" + refreshed.ttl(now)))));
            }
            if (status >= 500 && staleIfError(stale, directives, state.requestDirectives(), now)) {
                return FilterResult.respond(withoutStrippedFields(serve(stale, false, now, record(exchange,
                        NAME + "; fwd=" + state.forward() + "; fwd-status=" + status + "; ttl=" + stale.ttl(now) + "; detail=stale-if-error"))));
            }
        }
        if (!state.forward().equals("method") && !state.forward().equals("partial") && !state.forward().startsWith("bypass")
                && request.method().equals("GET")) {
            Optional<String> refusal = Storability.refusal(request.method(), request.headers(), state.requestDirectives(), status,
                    response.headers(), directives, targeted(response.headers()));
            long lifetime = lifetime(status, request.headers(), response.headers(), directives, now);
            // Worth storing: fresh for a while, or revalidatable, or servable stale (RFC 5861).
            boolean useful = lifetime > 0 || response.headers().contains("ETag") || response.headers().contains("Last-Modified")
                    || directives.has("stale-while-revalidate") || directives.has("stale-if-error");
            if (refusal.isEmpty() && useful) {
                storeAsItStreams(exchange, state, response, directives, lifetime, now);
                finish(exchange, response, NAME + "; fwd=" + state.forward() + (state.revalidating().isPresent() ? "; fwd-status=" + status : "")
                        + "; stored; ttl=" + lifetime);
                return FilterResult.proceed();
            }
            finish(exchange, response, NAME + "; fwd=" + state.forward() + refusal.map(r -> "; detail=" + r).orElse("; detail=no-freshness"));
            release(state);
            return FilterResult.proceed();
        }
        finish(exchange, response, NAME + "; fwd=" + state.forward());
        return FilterResult.proceed();
    }

    /** The directives this cache obeys: the first targeted field present (RFC 9213), else Cache-Control. */
    private Directives directives(HttpFields response) {
        for (String field : config.targetedFields()) {
            List<String> values = response.all(field);
            if (!values.isEmpty()) {
                return Directives.parse(values);
            }
        }
        return Directives.parse(response.all("Cache-Control"));
    }

    /** @return whether the response has a field targeted at this cache (its directives then address it alone) */
    private boolean targeted(HttpFields response) {
        return config.targetedFields().stream().anyMatch(response::contains);
    }

    /**
     * The freshness lifetime ({@link Freshness#lifetime}); never a heuristic one for a request
     * with a {@code Cookie} (its response may be made for that client).
     */
    private long lifetime(int status, HttpFields requestHeaders, HttpFields response, Directives directives, long now) {
        double heuristic = requestHeaders.contains("Cookie") ? 0 : config.heuristicPercent();
        return Freshness.lifetime(status, response, directives, now, heuristic, config.heuristicMax());
    }

    private void finish(Exchange exchange, ResponseHead response, String cacheStatus) {
        response.headers().set(STATUS, record(exchange, cacheStatus));
        for (String field : config.stripFields()) {
            response.headers().remove(field);
        }
    }

    private Response withoutStrippedFields(Response response) {
        if (config.stripFields().stream().noneMatch(f -> response.headers().contains(f))) {
            return response;
        }
        Response.Builder copy = Response.status(response.status());
        response.headers().forEach((name, value) -> {
            if (config.stripFields().stream().noneMatch(name::equalsIgnoreCase)) {
                copy.header(name, value);
            }
        });
        return copy.body(response).build();
    }

    /** stale-while-revalidate (RFC 5861 §3): stale by no more than its window, and revalidation not required. */
    private static boolean staleWhileRevalidate(Entry entry, long now) {
        if (entry.directives().has("must-revalidate") || entry.directives().has("proxy-revalidate") || entry.directives().has("s-maxage")) {
            return false;
        }
        java.util.OptionalLong window = entry.directives().seconds("stale-while-revalidate");
        return window.isPresent() && -entry.ttl(now) <= window.getAsLong();
    }

    /** stale-if-error (RFC 5861 §4), from the stored response or the request, unless revalidation is required. */
    private static boolean staleIfError(Entry stale, Directives errorResponse, Directives request, long now) {
        if (stale.directives().has("must-revalidate") || stale.directives().has("proxy-revalidate") || stale.directives().has("s-maxage")) {
            return false;
        }
        long staleness = -stale.ttl(now);
        long allowed = Math.max(stale.directives().seconds("stale-if-error").orElse(-1),
                Math.max(request.seconds("stale-if-error").orElse(-1), errorResponse.seconds("stale-if-error").orElse(-1)));
        return allowed >= 0 && staleness <= allowed;
    }

    /** A 304 updates the stored head (RFC 9111 §4.3.4) and restarts the entry's age. */
    private Entry refreshed(Entry stale, HttpFields requestHeaders, HttpFields update, long requestTime, long now) {
        MutableHttpFields headers = MutableHttpFields.create();
        stale.headers().forEach((name, value) -> {
            if (!update.contains(name) || NOT_UPDATED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(name, value);
            }
        });
        update.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_UPDATED.contains(lower) && !lower.equals("age") && !lower.equals(STATUS.toLowerCase(Locale.ROOT))) {
                headers.add(name, value);
            }
        });
        HttpFields merged = headers.toImmutable();
        Directives directives = directives(merged);
        long lifetime = lifetime(stale.status(), requestHeaders, merged, directives, now);
        return new Entry(stale.status(), merged, stale.content(), requestTime, now, Freshness.initialAge(update, requestTime, now),
                lifetime, directives, stale.vary());
    }

    /** Tees the body into a buffer as it streams to the client; stores the entry when it is complete and not too big. */
    private void storeAsItStreams(Exchange exchange, State state, ResponseHead response, Directives directives, long lifetime, long now) {
        MutableHttpFields stored = MutableHttpFields.create();
        response.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("age") && !lower.equals(STATUS.toLowerCase(Locale.ROOT))) {
                stored.add(name, value);
            }
        });
        HttpFields headers = stored.toImmutable();
        List<Entry.VaryField> vary = new ArrayList<>();
        for (String line : headers.all("Vary")) {
            for (String name : line.split(",")) {
                String field = name.trim().toLowerCase(Locale.ROOT);
                if (!field.isEmpty()) {
                    vary.add(new Entry.VaryField(field, Entry.varyValue(exchange.request().headers(), field)));
                }
            }
        }
        long initialAge = Freshness.initialAge(response.headers(), state.requestTime(), now);
        int status = response.status();
        long declared = Storability.declaredLength(headers);
        exchange.observeResponseBody(BodyObserver.collecting(store.maxObjectSize(), body -> {
            body.filter(bytes -> declared < 0 || bytes.length == declared) // else it would be served as complete
                    .ifPresent(bytes -> store.put(state.key(), new Entry(status, headers, bytes, state.requestTime(), now, initialAge,
                            lifetime, directives, vary)));
            release(state);
        }));
    }

    /** A successful unsafe request invalidates its target and its Location and Content-Location on the same origin (§4.4). */
    private void invalidate(RequestHead request, HttpFields response) {
        store.invalidate(config.key().of(request));
        for (String field : List.of("Location", "Content-Location")) {
            response.first(field).ifPresent(value -> {
                try {
                    URI uri = URI.create(request.scheme() + "://" + request.authority() + "/").resolve(value.trim());
                    if (uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(request.authority())) {
                        store.invalidate(config.key().of(uri.getScheme(), uri.getRawAuthority(),
                                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
                                uri.getRawQuery() == null ? "" : uri.getRawQuery(), request));
                    }
                } catch (IllegalArgumentException e) {
                    // not a URI: nothing to invalidate
                }
            });
        }
    }

    @Override
    public Optional<String> status() {
        return Optional.of("cache: " + store.keys() + " keys, " + store.weight() + " of " + config.maxSize() + " bytes\n");
    }
}
