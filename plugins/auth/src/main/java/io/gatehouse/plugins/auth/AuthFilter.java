package io.gatehouse.plugins.auth;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The {@code auth} filter: removes the client's copies of the identity fields, lets the first
 * mechanism whose credential the request carries authenticate it, applies the access rules, and
 * hands the identity on (fields for the origin, {@link Keys#CONSUMER} for later filters). Never
 * logs a credential; never answers 500 for bad input.
 */
final class AuthFilter implements ProxyFilter {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

    private final AuthConfig config;
    private final List<Mechanism> mechanisms;
    private final Challenges challenges;
    private final AuthStats stats = new AuthStats();
    private final CompletionStage<FilterResult> missing;

    AuthFilter(AuthConfig config, List<Mechanism> mechanisms, Challenges challenges) {
        this.config = config;
        this.mechanisms = List.copyOf(mechanisms);
        this.challenges = challenges;
        List<String> all = new ArrayList<>();
        mechanisms.forEach(m -> m.challenge().ifPresent(all::add));
        // without any challenge (forward auth alone), an anonymous request is one the auth service
        // could not decide (on-failure: allow): where identity is required, that is a 503, not a 401
        this.missing = FilterResult.respond(all.isEmpty() ? Challenges.unavailable("the authentication service is unavailable")
                : challenges.missing(all));
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        config.identity().strip(exchange.request().headers());
        Optional<Mechanism> chosen = chosen(exchange);
        if (chosen.isEmpty()) {
            if (config.anonymous()) {
                return authorize(exchange, Identity.ANONYMOUS);
            }
            stats.refused("no_credentials");
            return missing;
        }
        Mechanism mechanism = chosen.get();
        CompletableFuture<Verdict> verdict;
        try {
            verdict = mechanism.authenticate(exchange).toCompletableFuture();
        } catch (RuntimeException e) {
            verdict = CompletableFuture.completedFuture(Overload.verdict(e, mechanism.name()));
        }
        if (verdict.isDone() && !verdict.isCompletedExceptionally()) {
            return decide(exchange, mechanism, verdict.join());
        }
        return verdict.handle((v, failure) -> failure == null ? v : Overload.verdict(failure, mechanism.name()))
                .thenCompose(v -> decide(exchange, mechanism, v));
    }

    private Optional<Mechanism> chosen(Exchange exchange) {
        for (Mechanism mechanism : mechanisms) {
            if (mechanism.presentIn(exchange.request())) {
                return Optional.of(mechanism);
            }
        }
        return Optional.empty();
    }

    private CompletionStage<FilterResult> decide(Exchange exchange, Mechanism mechanism, Verdict verdict) {
        if (verdict instanceof Verdict.Rejected rejected) {
            stats.refused(rejected.reason());
            LOG.debug("Exchange {}: auth ({}) refused: {}", exchange.id(), mechanism.name(), rejected.reason());
            return FilterResult.respond(rejected.response());
        }
        return authorize(exchange, ((Verdict.Authenticated) verdict).identity());
    }

    private CompletionStage<FilterResult> authorize(Exchange exchange, Identity identity) {
        Optional<AccessPolicy.Refusal> refusal = config.access().check(exchange, identity);
        if (refusal.isPresent()) {
            if (refusal.get().authenticate()) {
                stats.refused("no_credentials");
                return missing;
            }
            stats.forbidden();
            LOG.debug("Exchange {}: auth: consumer {} is not allowed here", exchange.id(), identity.consumer().orElse("-"));
            return FilterResult.respond(forbidden(identity, refusal.get()));
        }
        config.identity().apply(exchange.request().headers(), identity);
        identity.consumer().ifPresent(consumer -> exchange.setAttribute(Keys.CONSUMER, consumer));
        stats.allowed();
        return FilterResult.proceed();
    }

    private Response forbidden(Identity identity, AccessPolicy.Refusal refusal) {
        if (identity.mechanism().equals("jwt") && !refusal.missingScopes().isEmpty()) {
            return challenges.forbidden(List.of(challenges.bearer("insufficient_scope", "the token lacks a required scope")
                    + ", scope=\"" + String.join(" ", refusal.missingScopes()) + "\""));
        }
        return challenges.forbidden(List.of());
    }

    @Override
    public List<String> explain(Exchange exchange) {
        Optional<Mechanism> chosen = chosen(exchange);
        String mechanisms = this.mechanisms.stream().map(Mechanism::name).collect(Collectors.joining(", "));
        if (chosen.isPresent() && chosen.get() instanceof ForwardMechanism forward) {
            return List.of("forward auth: would ask " + forward.url() + " (a dry run calls nothing)");
        }
        if (chosen.isPresent()) {
            return List.of("credentials for " + chosen.get().name() + " present (mechanisms: " + mechanisms
                    + "); a dry run does not check them");
        }
        if (config.anonymous()) {
            return List.of("no credentials (mechanisms: " + mechanisms + "): passes as anonymous if the access rules allow");
        }
        exchange.setAttribute(Keys.EXPLAINED_ANSWER, 401);
        return List.of("no credentials (mechanisms: " + mechanisms + "): would answer 401");
    }

    @Override
    public Optional<String> status() {
        StringBuilder text = new StringBuilder(stats.line());
        mechanisms.forEach(m -> text.append(m.status()));
        return Optional.of(text.toString());
    }

    @Override
    public void close() {
        mechanisms.forEach(Mechanism::close);
    }
}
