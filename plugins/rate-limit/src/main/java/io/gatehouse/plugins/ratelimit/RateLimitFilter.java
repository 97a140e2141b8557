package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Key;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import io.gatehouse.plugins.ratelimit.concurrency.AdaptiveLimit;
import io.gatehouse.plugins.ratelimit.concurrency.ConcurrencyLimiter;
import io.gatehouse.plugins.ratelimit.concurrency.Ticket;
import io.gatehouse.plugins.ratelimit.limit.CounterStore;
import io.gatehouse.plugins.ratelimit.limit.KeyValues;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides each request against the filter's rate limits (in the store: local or Redis), then
 * against its concurrency cap. A rejected request gets 429 with {@code Retry-After} and the
 * RateLimit fields and never reaches the origin; a request over the concurrency cap gets 503
 * with {@code Retry-After}; when the store cannot answer, the failure policy decides. The
 * request path never blocks: local decisions are taken on the calling thread, Redis decisions
 * complete the stage from Lettuce's thread or the timeout's.
 */
final class RateLimitFilter implements ProxyFilter {

    private static final Key<Verdict> VERDICT = Key.of("rate-limit.verdict", Verdict.class);
    private static final Key<Slot> SLOT = Key.of("rate-limit.slot", Slot.class);
    private static final Response STORE_DOWN = RateLimitHeaders.unavailable("rate limit store unavailable",
            Duration.ofSeconds(1));

    private final RateLimitConfig config;
    private final List<LimitEntry> limits;
    private final CounterStore store;
    private final RateLimitHeaders headers;
    private final Optional<ConcurrencyLimiter> concurrency;
    private final Optional<AdaptiveLimit> adaptive;
    private final Runnable onClose;
    private final Response busy;

    /**
     * @param config the configuration
     * @param store where the counters are
     * @param concurrency the cap on requests in flight, if configured
     * @param adaptive the cap's adaptive limit, if configured
     * @param onClose what else to stop on close (periodic tasks)
     */
    RateLimitFilter(RateLimitConfig config, CounterStore store, Optional<ConcurrencyLimiter> concurrency,
                    Optional<AdaptiveLimit> adaptive, Runnable onClose) {
        this.config = config;
        this.limits = config.limits();
        this.store = store;
        this.headers = new RateLimitHeaders(config.specs());
        this.concurrency = concurrency;
        this.adaptive = adaptive;
        this.onClose = onClose;
        this.busy = RateLimitHeaders.unavailable("too many requests in progress",
                config.concurrency().map(ConcurrencySpec::retryAfter).orElse(Duration.ofSeconds(1)));
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        Optional<Slot> slot = Optional.empty();
        if (concurrency.isPresent()) {
            slot = Optional.of(new Slot());
            exchange.setAttribute(SLOT, slot.get());
        }
        if (limits.isEmpty()) {
            return enter(exchange, slot);
        }
        CompletionStage<Verdict> stage = store.acquire(keysOf(exchange));
        if (stage instanceof CompletableFuture<Verdict> future && future.isDone()) {
            return decided(exchange, future.join(), slot);
        }
        Optional<Slot> later = slot;
        return stage.thenCompose(verdict -> decided(exchange, verdict, later));
    }

    private KeyValues keysOf(Exchange exchange) {
        String[] keys = new String[limits.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = limits.get(i).key().of(exchange).orElse(null);
        }
        return KeyValues.wrap(keys);
    }

    private CompletionStage<FilterResult> decided(Exchange exchange, Verdict verdict, Optional<Slot> slot) {
        switch (verdict.kind()) {
            case REJECTED:
                return FilterResult.respond(headers.tooManyRequests(verdict));
            case FAILED_CLOSED:
                return FilterResult.respond(STORE_DOWN);
            default:
                if (config.headersOnAllowed() && !verdict.decisions().isEmpty()) {
                    exchange.setAttribute(VERDICT, verdict);
                }
                return enter(exchange, slot);
        }
    }

    /** Takes a slot of the concurrency cap, or waits for one, or refuses. */
    private CompletionStage<FilterResult> enter(Exchange exchange, Optional<Slot> slot) {
        if (slot.isEmpty()) {
            return FilterResult.proceed();
        }
        ConcurrencySpec spec = config.concurrency().orElseThrow();
        Optional<String> key = spec.key().of(exchange);
        if (key.isEmpty()) {
            return FilterResult.proceed();
        }
        Ticket ticket = concurrency.orElseThrow().acquire(key.get());
        if (!slot.get().hold(ticket)) {
            return FilterResult.respond(busy);   // the exchange has ended meanwhile: nobody reads this
        }
        CompletionStage<Boolean> admitted = ticket.admitted();
        if (admitted instanceof CompletableFuture<Boolean> future && future.isDone()) {
            return future.join() ? FilterResult.proceed() : FilterResult.respond(busy);
        }
        return admitted.thenApply(ok -> ok ? FilterResult.proceedResult() : FilterResult.respondResult(busy));
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<Verdict> verdict = exchange.attribute(VERDICT);
        if (verdict.isPresent() && exchange.response().isPresent()) {
            headers.addTo(exchange.response().get().headers(), verdict.get());
        }
        return FilterResult.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, Outcome outcome) {
        Optional<Slot> slot = exchange.attribute(SLOT);
        if (slot.isEmpty()) {
            return;
        }
        if (adaptive.isPresent()) {
            slot.get().ticket().flatMap(Ticket::held)
                    .ifPresent(held -> adaptive.get().sample(held.nanos(), overloaded(outcome), held.inFlight()));
        }
        slot.get().end();
    }

    /** @return whether the outcome points at an overloaded origin: it could not be reached, refused, or timed out */
    private static boolean overloaded(Outcome outcome) {
        int status = outcome.status();
        return status == 502 || status == 503 || status == 504;
    }

    @Override
    public List<String> explain(Exchange exchange) {
        List<String> lines = new ArrayList<>();
        for (LimitEntry limit : limits) {
            LimitSpec spec = limit.spec();
            String what = "limit " + spec.name() + " (" + spec.rate() + ", burst " + spec.burst() + ", "
                    + spec.algorithm().configName() + ", key " + limit.key() + "): ";
            Optional<String> key = limit.key().of(exchange);
            lines.add(what + key.map(k -> "counts this request under \"" + k + "\"")
                    .orElse("does not apply, the request has no " + limit.key()));
        }
        config.concurrency().ifPresent(spec -> lines.add("concurrency: at most " + spec.maxConcurrent() + " in flight per "
                + spec.key() + (spec.queue() > 0 ? ", " + spec.queue() + " waiting up to " + spec.queueTimeout().toMillis() + "ms" : "")));
        lines.add("store: " + config.redis().map(r -> "redis (" + r.failure().configName() + ", timeout " + r.timeout().toMillis()
                + "ms)").orElse("local"));
        return lines;
    }

    @Override
    public Optional<String> status() {
        List<String> lines = new ArrayList<>(store.status());
        concurrency.ifPresent(c -> lines.addAll(c.status()));
        adaptive.ifPresent(a -> lines.add(a.toString()));
        return Optional.of(String.join("\n", lines));
    }

    @Override
    public void close() {
        onClose.run();
        store.close();
    }
}
