package io.gatehouse.plugins.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.OutboundTimeoutException;
import io.gatehouse.api.outbound.ResponseTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keys fetched from a JWKS URL (or the {@code jwks_uri} of an OpenID Connect issuer's discovery
 * document) through the server's outbound client, never blocking a thread:
 * <ul>
 *   <li>the first fetch starts with the filter; later ones every {@code refresh-interval}, or
 *       after {@code min-refresh-interval} when one failed;</li>
 *   <li>{@link #fresher()} asks for keys newer than the current ones (a token with an unknown
 *       {@code kid}, a request before the first fetch succeeded): it joins the fetch under way, or
 *       starts one if the last began at least {@code min-refresh-interval} ago, or else answers
 *       the current keys at once, so a stream of made-up {@code kid}s cannot make the proxy hammer
 *       the key server;</li>
 *   <li>a failed fetch (down, slow, not 200, not a JWK set, no usable key) keeps the keys there
 *       were and is logged at {@code WARN}.</li>
 * </ul>
 * Thread-safe.
 */
final class RemoteKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteKeys.class);

    private final JwtSettings.RemoteSettings settings;
    private final JwtKeys base;
    private final OutboundClient http;
    private final ScheduledExecutorService timer;
    private final Executor blocking;
    private final Clock clock;
    private final String source;

    private volatile JwtKeys keys;
    private volatile boolean loaded;
    private volatile String lastOutcome = "not fetched yet";
    private volatile Optional<Instant> lastSuccess = Optional.empty();

    private final Object lock = new Object();
    private CompletableFuture<JwtKeys> inFlight;
    private long lastAttemptMillis;
    private boolean attempted;
    private Optional<String> discovered = Optional.empty();
    private ScheduledFuture<?> next;
    private boolean closed;

    /**
     * @param settings where and how
     * @param base the static keys, always part of {@link #keys()}
     * @param http the outbound client
     * @param timer the filters' timer
     * @param blocking the blocking executor, where fetches are sent from (see {@link #run})
     * @param clock the filter's clock
     */
    RemoteKeys(JwtSettings.RemoteSettings settings, JwtKeys base, OutboundClient http, ScheduledExecutorService timer,
               Executor blocking, Clock clock) {
        this.settings = settings;
        this.base = base;
        this.keys = base;
        this.http = http;
        this.timer = timer;
        this.blocking = blocking;
        this.clock = clock;
        this.source = settings.jwksUrl().orElseGet(() -> settings.issuer().orElseThrow() + " (discovery)");
    }

    /** Starts the first fetch (without waiting for it). */
    void start() {
        refresh();
    }

    /** @return the static keys and the last fetched ones */
    JwtKeys keys() {
        return keys;
    }

    /** @return whether a fetch has succeeded */
    boolean loaded() {
        return loaded;
    }

    /**
     * @return the keys after the fetch under way; or after a new fetch, when the last one began at
     *     least {@code min-refresh-interval} ago; or the current keys at once. Never failed.
     */
    CompletableFuture<JwtKeys> fresher() {
        CompletableFuture<JwtKeys> started;
        synchronized (lock) {
            if (inFlight != null) {
                return inFlight;
            }
            if (closed || (attempted && clock.millis() - lastAttemptMillis < settings.minRefreshInterval().toMillis())) {
                return CompletableFuture.completedFuture(keys);
            }
            started = begin();
        }
        run(started);
        return started;
    }

    private void refresh() {
        CompletableFuture<JwtKeys> started;
        synchronized (lock) {
            if (closed || inFlight != null) {
                return;
            }
            started = begin();
        }
        run(started);
    }

    /** Under the lock: a new fetch, not yet sent. */
    private CompletableFuture<JwtKeys> begin() {
        attempted = true;
        lastAttemptMillis = clock.millis();
        if (next != null) {
            next.cancel(false);
        }
        inFlight = new CompletableFuture<>();
        return inFlight;
    }

    /**
     * Sends the fetch, outside the lock, from the blocking executor: httpclient5 resolves a host
     * name on the thread that opens a connection, and that must never be an I/O thread (fetches are
     * rare, so the hop costs nothing).
     */
    private void run(CompletableFuture<JwtKeys> done) {
        try {
            blocking.execute(() -> {
                CompletionStage<JwtKeys> fetched;
                try {
                    fetched = jwksUrl().thenCompose(this::fetchJwks);
                } catch (RuntimeException e) {
                    fetched = CompletableFuture.failedFuture(e);
                }
                fetched.whenComplete((fresh, failure) -> finish(done, fresh, failure));
            });
        } catch (RejectedExecutionException e) {
            finish(done, null, new FetchFailure("the blocking executor is busy"));
        }
    }

    private void finish(CompletableFuture<JwtKeys> done, JwtKeys fresh, Throwable failure) {
        String reason = failure == null ? "" : describe(failure);
        JwtKeys now;
        synchronized (lock) {
            inFlight = null;
            if (failure == null) {
                keys = base.plus(fresh);
                loaded = true;
                lastSuccess = Optional.of(clock.instant());
                lastOutcome = "fetched " + fresh.size() + " keys " + fresh.kids();
            } else {
                lastOutcome = "last fetch failed: " + reason;
                if (settings.jwksUrl().isEmpty()) {
                    discovered = Optional.empty(); // discover again next time
                }
            }
            now = keys;
            schedule(failure == null ? settings.refreshInterval() : settings.minRefreshInterval());
        }
        if (failure != null) {
            LOG.warn("JWT keys from {} not fetched ({}); {}", source, reason,
                    loaded ? "the " + now.size() + " keys fetched before stay" : "tokens cannot be checked until a fetch succeeds");
        } else {
            LOG.debug("JWT keys fetched from {}: {}", source, now.kids());
        }
        done.complete(now);
    }

    /** Under the lock. */
    private void schedule(Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = timer.schedule(this::refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("JWT key refresh not scheduled: the timer refused it");
        }
    }

    private CompletionStage<String> jwksUrl() {
        Optional<String> known;
        synchronized (lock) {
            known = settings.jwksUrl().or(() -> discovered);
        }
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        String issuer = settings.issuer().orElseThrow();
        String url = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + "/.well-known/openid-configuration";
        return get(url).thenApply(response -> {
            Map<String, Object> document;
            try {
                document = JSONObjectUtils.parse(response.bodyText());
            } catch (ParseException e) {
                throw new CompletionException(new FetchFailure("the discovery document is not JSON"));
            }
            if (!issuer.equals(document.get("issuer"))) {
                throw new CompletionException(new FetchFailure("the discovery document names another issuer"));
            }
            if (!(document.get("jwks_uri") instanceof String jwksUri)) {
                throw new CompletionException(new FetchFailure("the discovery document has no jwks_uri"));
            }
            try {
                OutboundRequest.get(jwksUri);
            } catch (IllegalArgumentException e) {
                throw new CompletionException(new FetchFailure("the discovery document's jwks_uri is not an http(s) URL"));
            }
            synchronized (lock) {
                discovered = Optional.of(jwksUri);
            }
            return jwksUri;
        });
    }

    private CompletionStage<JwtKeys> fetchJwks(String url) {
        return get(url).thenApply(response -> {
            List<JWK> jwks;
            try {
                jwks = JWKSet.parse(response.bodyText()).getKeys();
            } catch (ParseException e) {
                throw new CompletionException(new FetchFailure("the answer is not a JWK set"));
            }
            List<JWK> publicOnly = new ArrayList<>();
            for (JWK jwk : jwks) {
                Optional.ofNullable(jwk.toPublicJWK()).ifPresent(publicOnly::add); // symmetric keys are never taken
            }
            List<String> skipped = new ArrayList<>();
            JwtKeys fresh = JwtKeys.of(publicOnly, skipped::add);
            skipped.forEach(s -> LOG.debug("JWKS {}: {}", url, s));
            if (fresh.size() == 0) {
                throw new CompletionException(new FetchFailure("the JWK set has no usable signature key"));
            }
            return fresh;
        });
    }

    private CompletionStage<OutboundResponse> get(String url) {
        OutboundRequest request = OutboundRequest.get(url).header("Accept", "application/json, application/jwk-set+json")
                .timeout(settings.timeout()).maxResponseBody(settings.maxSize()).build();
        return http.send(request).thenApply(response -> {
            if (response.status() != 200) {
                throw new CompletionException(new FetchFailure(url + " answered " + response.status()));
            }
            return response;
        });
    }

    private String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof FetchFailure) {
            return cause.getMessage();
        }
        if (cause instanceof OutboundTimeoutException) {
            return "no answer within " + settings.timeout().toMillis() + " ms";
        }
        if (cause instanceof OutboundConnectException) {
            return "cannot connect";
        }
        if (cause instanceof ResponseTooLargeException) {
            return "the answer is larger than " + settings.maxSize() + " bytes";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** @return a line for {@code /status} */
    String status() {
        return "jwt: keys from " + source + ": " + keys.size() + " in use, " + lastOutcome
                + lastSuccess.map(t -> ", last success " + Duration.between(t, clock.instant()).toSeconds() + " s ago").orElse("") + "\n";
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    /** A fetch that got an answer the filter cannot use; its message is safe to log. */
    static final class FetchFailure extends Exception {
        private static final long serialVersionUID = 1L;

        FetchFailure(String message) {
            super(message, null, false, false);
        }
    }
}
