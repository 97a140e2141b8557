package io.gatehouse.plugins.auth;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.RequestHead;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * API keys from a request field or a query parameter, checked against hashes ({@link
 * ApiKeyStore}). A fast ({@code $sha256$}) hash is checked on the calling thread; a password hash
 * on the blocking executor ({@link PasswordChecks}). Matches are remembered briefly.
 */
final class ApiKeyMechanism implements Mechanism {

    /** Longer keys are refused without looking further. */
    static final int MAX_KEY_LENGTH = 1024;

    private final ApiKeySettings settings;
    private final Challenges challenges;
    private final Credentials<ApiKeyStore> credentials;
    private final PasswordChecks checks;

    ApiKeyMechanism(ApiKeySettings settings, Challenges challenges, FilterContext context) {
        this.settings = settings;
        this.challenges = challenges;
        this.credentials = new Credentials<>(settings.inline(), settings.initial(), settings.file(), settings.watchInterval(),
                settings::withFile, settings.cache(), context);
        this.checks = credentials.checks();
    }

    @Override
    public String name() {
        return "api-key";
    }

    @Override
    public boolean presentIn(RequestHead request) {
        if (settings.header().isPresent() && request.headers().contains(settings.header().get())) {
            return true;
        }
        if (settings.query().isEmpty() || request.query().isEmpty()) {
            return false;
        }
        try {
            return !QueryParams.values(request.query().get(), settings.query().get()).isEmpty();
        } catch (IllegalArgumentException e) {
            return true; // there, but malformed: authenticate refuses it
        }
    }

    @Override
    public Optional<String> challenge() {
        return Optional.of(challenges.apiKey());
    }

    private ApiKeyStore store() {
        return credentials.current();
    }

    @Override
    public CompletionStage<Verdict> authenticate(Exchange exchange) {
        Optional<String> presented;
        try {
            presented = presented(exchange.request());
        } catch (IllegalArgumentException e) {
            return reject(MALFORMED);
        }
        if (presented.isEmpty() || !wellFormed(presented.get())) {
            return reject(MALFORMED);
        }
        String key = presented.get();
        ApiKeyStore store = store();
        Digests.Key cacheKey = checks.key(key);
        Optional<Object> remembered = checks.remembered(cacheKey);
        if (remembered.isPresent() && remembered.get() instanceof ApiKeyStore.Entry entry && store.holds(entry)) {
            return accept(exchange, entry);
        }
        byte[] secret = key.getBytes(StandardCharsets.US_ASCII);
        Optional<ApiKeyStore.Entry> byId = store.byIdOf(key);
        if (byId.isPresent() && byId.get().hash().slow()) {
            ApiKeyStore.Entry entry = byId.get();
            return checks.check(cacheKey, entry.hash(), secret, Optional.of(entry)).handle((ok, failure) -> {
                if (failure != null) {
                    return Overload.verdict(failure, "api-key");
                }
                return ok ? accepted(exchange, entry) : rejected(INVALID);
            });
        }
        Optional<ApiKeyStore.Entry> found = byId.isPresent()
                ? byId.filter(e -> e.hash().matches(secret)) : store.scan(secret);
        if (found.isEmpty()) {
            return reject(INVALID);
        }
        checks.remember(cacheKey, found.get());
        return accept(exchange, found.get());
    }

    /** @return the one key of the request; empty when sent twice (or not at all) */
    private Optional<String> presented(RequestHead request) {
        if (settings.header().isPresent()) {
            List<String> values = request.headers().all(settings.header().get());
            if (values.size() > 1) {
                return Optional.empty();
            }
            if (values.size() == 1) {
                return Optional.of(values.get(0));
            }
        }
        if (settings.query().isPresent() && request.query().isPresent()) {
            List<String> values = QueryParams.values(request.query().get(), settings.query().get());
            return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Visible ASCII only, bounded: anything else cannot be a key we issued. */
    private static boolean wellFormed(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private CompletionStage<Verdict> accept(Exchange exchange, ApiKeyStore.Entry entry) {
        return CompletableFuture.completedFuture(accepted(exchange, entry));
    }

    private Verdict accepted(Exchange exchange, ApiKeyStore.Entry entry) {
        if (!settings.forwardCredentials()) {
            RequestHead request = exchange.request();
            settings.header().ifPresent(request.headers()::remove);
            settings.query().ifPresent(name -> request.query().ifPresent(query -> {
                Optional<String> rest = QueryParams.without(query, name);
                request.setTarget(request.path() + rest.map(r -> "?" + r).orElse(""));
            }));
        }
        return new Verdict.Authenticated(Identity.of(name(), entry.consumer(), entry.groups()));
    }

    private CompletionStage<Verdict> reject(String reason) {
        return CompletableFuture.completedFuture(rejected(reason));
    }

    private Verdict rejected(String reason) {
        return new Verdict.Rejected(reason, challenges.invalid(challenges.apiKey()));
    }

    @Override
    public String status() {
        ApiKeyStore store = store();
        StringBuilder text = new StringBuilder("api-key: ").append(store.size()).append(" keys");
        text.append(credentials.watching());
        text.append(", ").append(checks.size()).append(" recent matches remembered\n");
        credentials.refusedChange().ifPresent(reason ->
                text.append("api-key: last change of the key file refused, the keys above stay: ").append(reason).append('\n'));
        return text.toString();
    }

    @Override
    public void close() {
        credentials.close();
    }
}
