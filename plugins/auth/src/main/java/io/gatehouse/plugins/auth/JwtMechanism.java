package io.gatehouse.plugins.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.RequestHead;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * Bearer tokens (RFC 6750) that are JWTs, checked by {@link JwtValidator} against static keys
 * and, when configured, keys fetched by {@link RemoteKeys}.
 * <ul>
 *   <li>RSA and HMAC signatures are checked on the calling thread (tens of microseconds); EC and
 *       EdDSA ones, about a millisecond each on Java 17, on the blocking executor ({@link
 *       BoundedWork}, 503 past {@code max-pending}).</li>
 *   <li>A verified token is remembered for {@code cache-ttl} under a salted digest, with the key
 *       set that verified it: the same token again costs one SHA-256, its {@code exp} and {@code
 *       nbf} are checked again every time, and new keys (a refresh) mean a new check.</li>
 *   <li>A request that needs keys not fetched yet (the first fetch, a new {@code kid}) waits for
 *       them, at most {@code jwks.wait}; then it gets 503 when no keys were ever fetched, 401 when
 *       they were and none fits.</li>
 * </ul>
 */
final class JwtMechanism implements Mechanism {

    private final JwtSettings settings;
    private final Challenges challenges;
    private final JwtValidator validator;
    private final Optional<RemoteKeys> remote;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final BoundedWork work;
    private final Optional<Cache<Digests.Key, Remembered>> verified;
    private final byte[] salt = Digests.random(32);

    /** A verified token, and the keys it was verified with. */
    private record Remembered(JwtValidator.Valid valid, JwtKeys keys) {
    }

    JwtMechanism(JwtSettings settings, Challenges challenges, FilterContext context) {
        this.settings = settings;
        this.challenges = challenges;
        this.validator = new JwtValidator(settings);
        this.clock = context.clock();
        this.timer = context.scheduler();
        this.work = new BoundedWork(context.blockingExecutor(), settings.cache().maxPending());
        this.verified = settings.cache().ttl().isZero() ? Optional.empty()
                : Optional.of(Caffeine.newBuilder().expireAfterWrite(settings.cache().ttl()).maximumSize(settings.cache().size())
                        .ticker(PasswordChecks.ticker(clock)).executor(Runnable::run).<Digests.Key, Remembered>build());
        this.remote = settings.remote().map(r -> new RemoteKeys(r, settings.staticKeys(), context.http(), timer,
                context.blockingExecutor(), clock));
        remote.ifPresent(RemoteKeys::start);
    }

    @Override
    public String name() {
        return "jwt";
    }

    @Override
    public boolean presentIn(RequestHead request) {
        return request.headers().first("Authorization").map(v -> Schemes.is(v, "bearer")).orElse(false);
    }

    @Override
    public Optional<String> challenge() {
        return Optional.of(challenges.bearer());
    }

    @Override
    public CompletionStage<Verdict> authenticate(Exchange exchange) {
        List<String> fields = exchange.request().headers().all("Authorization");
        Optional<String> token = fields.size() == 1 ? Schemes.credentials(fields.get(0)) : Optional.empty();
        if (token.isEmpty() || (token.get().length() <= settings.maxTokenSize() && !b64token(token.get()))) {
            return CompletableFuture.completedFuture(new Verdict.Rejected("malformed_credentials",
                    challenges.malformed(challenges.bearer("invalid_request", "expected one Authorization: Bearer field with a token"))));
        }
        Optional<Digests.Key> key = verified.filter(cache -> token.get().length() <= settings.maxTokenSize())
                .map(cache -> Digests.Key.of(salt, token.get()));
        Optional<Remembered> remembered = key.map(k -> verified.get().getIfPresent(k));
        if (remembered.isPresent() && remembered.get().keys() == keys()
                && remembered.get().valid().current(clock.instant(), settings.clockSkew())) {
            return CompletableFuture.completedFuture(verdict(exchange, remembered.get().valid()));
        }
        JwtValidator.Parse parse = validator.parse(token.get());
        if (parse instanceof JwtValidator.Invalid invalid) {
            return CompletableFuture.completedFuture(verdict(exchange, invalid));
        }
        JwtValidator.Parsed parsed = (JwtValidator.Parsed) parse;
        JwtKeys known = keys();
        return check(parsed, known).thenCompose(result -> {
            if (!(result instanceof JwtValidator.NoKey) || remote.isEmpty()) {
                return CompletableFuture.completedFuture(remember(key, known, exchange, result));
            }
            RemoteKeys fetched = remote.get();
            return Waits.within(fetched.fresher(), settings.remote().orElseThrow().maxWait(), timer).thenCompose(fresh -> {
                JwtKeys now = fetched.keys();
                return check(parsed, now).thenApply(again -> again instanceof JwtValidator.NoKey && !fetched.loaded()
                        ? new Verdict.Rejected("keys_unavailable", Challenges.unavailable("the keys to check tokens are not available"))
                        : remember(key, now, exchange, again));
            });
        }).exceptionally(failure -> Overload.verdict(failure, name()));
    }

    /** Checks the signature and claims: on this thread for RSA and HMAC, on the blocking executor for EC and EdDSA. */
    private CompletableFuture<JwtValidator.Result> check(JwtValidator.Parsed parsed, JwtKeys keys) {
        if (JwtValidator.slow(parsed.algorithm())) {
            return work.submit(() -> validator.verify(parsed, keys, clock.instant()));
        }
        return CompletableFuture.completedFuture(validator.verify(parsed, keys, clock.instant()));
    }

    private Verdict remember(Optional<Digests.Key> key, JwtKeys keys, Exchange exchange, JwtValidator.Result result) {
        if (result instanceof JwtValidator.Valid valid && key.isPresent()) {
            verified.orElseThrow().put(key.get(), new Remembered(valid, keys));
        }
        return verdict(exchange, result);
    }

    private JwtKeys keys() {
        return remote.map(RemoteKeys::keys).orElse(settings.staticKeys());
    }

    /** RFC 6750 §2.1: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean b64token(String token) {
        int i = 0;
        int n = token.length();
        while (i < n) {
            char c = token.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/') {
                i++;
            } else {
                break;
            }
        }
        if (i == 0) {
            return false;
        }
        while (i < n && token.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }

    private Verdict verdict(Exchange exchange, JwtValidator.Result result) {
        if (result instanceof JwtValidator.Valid valid) {
            if (!settings.forwardCredentials()) {
                exchange.request().headers().remove("Authorization");
            }
            return new Verdict.Authenticated(valid.identity());
        }
        JwtValidator.Invalid invalid = result instanceof JwtValidator.Invalid i ? i : JwtValidator.NO_MATCHING_KEY;
        return new Verdict.Rejected(invalid.reason(), challenges.invalid(challenges.bearer("invalid_token", invalid.description())));
    }

    @Override
    public String status() {
        String algorithms = settings.algorithms().stream().map(a -> a.getName()).sorted().collect(Collectors.joining(", "));
        return "jwt: algorithms " + algorithms + ", " + settings.staticKeys().size() + " configured keys"
                + verified.map(c -> ", " + c.estimatedSize() + " verified tokens remembered").orElse("") + ", " + work.pending()
                + " EC/EdDSA checks under way\n"
                + remote.map(RemoteKeys::status).orElse("");
    }

    @Override
    public void close() {
        remote.ifPresent(RemoteKeys::close);
    }
}
