package io.gatehouse.plugins.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;
import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forward authentication: every request's selected fields go to an auth service, with the
 * request's method, scheme, host, target and client address in {@code X-Forwarded-*} fields. A
 * 2xx answer lets the request through, with the selected answer fields copied onto the
 * proxy→origin request; any other answer goes back to the client as it is (its status, fields
 * and body, without connection fields). A call that fails or times out refuses the request with
 * 503, or lets it through without identity with {@code on-failure: allow}. Decisions may be
 * remembered for a short time, keyed by a salted digest of the selected fields.
 */
final class ForwardMechanism implements Mechanism {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardMechanism.class);
    private static final Set<String> CONNECTION_FIELDS = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "content-length");

    private final ForwardSettings settings;
    private final OutboundClient http;
    private final Optional<Cache<Digests.Key, Verdict>> decisions;
    private final byte[] salt = Digests.random(32);
    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();

    ForwardMechanism(ForwardSettings settings, FilterContext context) {
        this.settings = settings;
        this.http = context.http();
        this.decisions = settings.cacheTtl().isZero() ? Optional.empty()
                : Optional.of(Caffeine.newBuilder().expireAfterWrite(settings.cacheTtl()).maximumSize(settings.cacheSize())
                        .ticker(PasswordChecks.ticker(context.clock())).executor(Runnable::run).<Digests.Key, Verdict>build());
    }

    @Override
    public String name() {
        return "forward";
    }

    @Override
    public boolean presentIn(RequestHead request) {
        return true; // the auth service decides, with or without credentials
    }

    @Override
    public Optional<String> challenge() {
        return Optional.empty();
    }

    @Override
    public CompletionStage<Verdict> authenticate(Exchange exchange) {
        RequestHead request = exchange.request();
        Optional<Digests.Key> key = decisions.map(d -> credentialKey(request.headers()));
        Optional<Verdict> remembered = key.flatMap(k -> Optional.ofNullable(decisions.get().getIfPresent(k)));
        if (remembered.isPresent()) {
            return CompletableFuture.completedFuture(remembered.get());
        }
        OutboundRequest call;
        try {
            call = call(exchange);
        } catch (IllegalArgumentException e) {
            // a client field value the outbound client refuses: cannot be the credential of anyone
            return CompletableFuture.completedFuture(new Verdict.Rejected("malformed_credentials", Response.text(400, "Bad Request")));
        }
        calls.increment();
        return http.send(call).handle((answer, failure) -> {
            if (failure != null || answer.status() < 200 || answer.status() > 599) {
                failures.increment();
                LOG.debug("Exchange {}: auth service {} failed: {}", exchange.id(), settings.url(),
                        failure == null ? "status " + answer.status() : failure.getClass().getSimpleName());
                return settings.failOpen() ? new Verdict.Authenticated(Identity.ANONYMOUS)
                        : new Verdict.Rejected("auth_service_failed", Challenges.unavailable("the authentication service is unavailable"));
            }
            Verdict verdict = decide(answer);
            if (key.isPresent() && (answer.status() / 100 == 2 || answer.status() == 401 || answer.status() == 403)) {
                decisions.get().put(key.get(), verdict);
            }
            return verdict;
        });
    }

    private OutboundRequest call(Exchange exchange) {
        RequestHead request = exchange.request();
        OutboundRequest.Builder call = OutboundRequest.request(settings.method(), settings.url())
                .timeout(settings.timeout()).maxResponseBody(settings.maxResponseBody())
                .header("X-Forwarded-Method", request.method())
                .header("X-Forwarded-Proto", request.scheme())
                .header("X-Forwarded-Host", request.authority())
                .header("X-Forwarded-Uri", request.target())
                .header("X-Forwarded-For", exchange.clientIp().getHostAddress());
        for (String name : settings.requestHeaders()) {
            for (String value : request.headers().all(name)) {
                call.header(name, value);
            }
        }
        return call.build();
    }

    private Digests.Key credentialKey(HttpFields headers) {
        List<String> parts = new ArrayList<>();
        for (String name : settings.requestHeaders()) {
            parts.add(name.toLowerCase(Locale.ROOT));
            parts.addAll(headers.all(name));
            parts.add("");
        }
        return Digests.Key.of(salt, parts.toArray(String[]::new));
    }

    private Verdict decide(OutboundResponse answer) {
        if (answer.status() / 100 != 2) {
            Response.Builder relayed = Response.status(answer.status());
            answer.headers().forEach((name, value) -> {
                if (!CONNECTION_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                    relayed.header(name, value);
                }
            });
            return new Verdict.Rejected("denied_by_auth_service", relayed.body(answer.body()).build());
        }
        MutableHttpFields copied = MutableHttpFields.create();
        for (String name : settings.responseHeaders()) {
            answer.headers().all(name).forEach(value -> copied.add(name, value));
        }
        Optional<String> consumer = settings.consumerHeader().flatMap(h -> answer.headers().first(h))
                .filter(c -> !c.isEmpty() && c.length() <= 1024);
        Set<String> groups = new LinkedHashSet<>();
        settings.groupsHeader().ifPresent(h -> answer.headers().all(h).forEach(value -> {
            for (String group : value.split(",")) {
                if (!group.isBlank()) {
                    groups.add(group.trim());
                }
            }
        }));
        return new Verdict.Authenticated(new Identity(name(), consumer, groups, Set.of(), Map.of(), copied.toImmutable()));
    }

    /** @return the auth service's URL */
    String url() {
        return settings.url();
    }

    @Override
    public String status() {
        return "forward: " + settings.method() + " " + settings.url() + ", " + calls.sum() + " calls, " + failures.sum()
                + " failed (" + (settings.failOpen() ? "let through" : "refused with 503") + ")"
                + decisions.map(d -> ", " + d.estimatedSize() + " decisions remembered").orElse("") + "\n";
    }
}
