package io.gatehouse.plugins.auth;

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
 * Bearer tokens (RFC 6750) that are JWTs, checked by {@link JwtValidator} on the calling thread
 * (a signature check takes microseconds) against static keys and, when configured, keys fetched
 * by {@link RemoteKeys}. A request that needs keys not fetched yet (the first fetch, a new {@code
 * kid}) waits for them, at most {@code jwks.wait}; then it gets 503 when no keys were ever
 * fetched, 401 when they were and none fits.
 */
final class JwtMechanism implements Mechanism {

    private final JwtSettings settings;
    private final Challenges challenges;
    private final JwtValidator validator;
    private final Optional<RemoteKeys> remote;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    JwtMechanism(JwtSettings settings, Challenges challenges, FilterContext context) {
        this.settings = settings;
        this.challenges = challenges;
        this.validator = new JwtValidator(settings);
        this.clock = context.clock();
        this.timer = context.scheduler();
        this.remote = settings.remote().map(r -> new RemoteKeys(r, settings.staticKeys(), context.http(), timer, clock));
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
        JwtValidator.Parse parse = validator.parse(token.get());
        if (parse instanceof JwtValidator.Invalid invalid) {
            return CompletableFuture.completedFuture(verdict(exchange, invalid));
        }
        JwtValidator.Parsed parsed = (JwtValidator.Parsed) parse;
        JwtValidator.Result result = validator.verify(parsed, keys(), clock.instant());
        if (!(result instanceof JwtValidator.NoKey) || remote.isEmpty()) {
            return CompletableFuture.completedFuture(verdict(exchange, result));
        }
        RemoteKeys keys = remote.get();
        return Waits.within(keys.fresher(), settings.remote().orElseThrow().maxWait(), timer).thenApply(fresh -> {
            JwtValidator.Result again = validator.verify(parsed, keys.keys(), clock.instant());
            if (again instanceof JwtValidator.NoKey && !keys.loaded()) {
                return new Verdict.Rejected("keys_unavailable", Challenges.unavailable("the keys to check tokens are not available"));
            }
            return verdict(exchange, again);
        });
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
        return "jwt: algorithms " + algorithms + ", " + settings.staticKeys().size() + " configured keys\n"
                + remote.map(RemoteKeys::status).orElse("");
    }

    @Override
    public void close() {
        remote.ifPresent(RemoteKeys::close);
    }
}
