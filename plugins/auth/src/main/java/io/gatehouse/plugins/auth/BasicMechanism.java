package io.gatehouse.plugins.auth;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.RequestHead;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * HTTP Basic (RFC 7617) against password hashes. The hash is always checked on the blocking
 * executor ({@link PasswordChecks}), for unknown users too (against a decoy of the same cost), so
 * that neither the answer nor its timing tells whether a user exists; a match is remembered
 * briefly, so a client sending the same credential again costs no hashing.
 */
final class BasicMechanism implements Mechanism {

    /** Longer credentials are refused without decoding. */
    static final int MAX_CREDENTIALS = 4096;

    private final BasicSettings settings;
    private final Challenges challenges;
    private final Credentials<UserStore> credentials;
    private final PasswordChecks checks;

    BasicMechanism(BasicSettings settings, Challenges challenges, FilterContext context) {
        this.settings = settings;
        this.challenges = challenges;
        this.credentials = new Credentials<>(settings.inline(), settings.initial(), settings.file(), settings.watchInterval(),
                settings::withFile, settings.cache(), context);
        this.checks = credentials.checks();
    }

    @Override
    public String name() {
        return "basic";
    }

    @Override
    public boolean presentIn(RequestHead request) {
        return request.headers().first("Authorization").map(v -> Schemes.is(v, "basic")).orElse(false);
    }

    @Override
    public Optional<String> challenge() {
        return Optional.of(challenges.basic());
    }

    private UserStore store() {
        return credentials.current();
    }

    @Override
    public CompletionStage<Verdict> authenticate(Exchange exchange) {
        List<String> fields = exchange.request().headers().all("Authorization");
        Optional<String[]> credentials = fields.size() == 1 ? decode(Schemes.credentials(fields.get(0))) : Optional.empty();
        if (credentials.isEmpty()) {
            return CompletableFuture.completedFuture(rejected(MALFORMED));
        }
        String user = credentials.get()[0];
        String password = credentials.get()[1];
        UserStore store = store();
        Optional<UserStore.Entry> entry = store.user(user);
        Digests.Key key = checks.key(user, password);
        Optional<Object> remembered = checks.remembered(key);
        if (remembered.isPresent() && entry.isPresent() && remembered.get() == entry.get()) {
            return CompletableFuture.completedFuture(accepted(exchange, entry.get()));
        }
        Optional<PasswordHash> hash = entry.map(UserStore.Entry::hash).or(store::decoy);
        if (hash.isEmpty()) {
            return CompletableFuture.completedFuture(rejected(INVALID));
        }
        return checks.check(key, hash.get(), password.getBytes(StandardCharsets.UTF_8), entry.map(e -> e))
                .handle((ok, failure) -> {
                    if (failure != null) {
                        return Overload.verdict(failure, "basic");
                    }
                    return ok && entry.isPresent() ? accepted(exchange, entry.get()) : rejected(INVALID);
                });
    }

    /** @return user and password, or empty when the credentials are not Base64 of UTF-8 {@code user:password} */
    static Optional<String[]> decode(Optional<String> token) {
        if (token.isEmpty() || token.get().isEmpty() || token.get().length() > MAX_CREDENTIALS) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token.get());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || hasControl(CharBuffer.wrap(text))) {
            return Optional.empty();
        }
        return Optional.of(new String[] {text.substring(0, colon), text.substring(colon + 1)});
    }

    private static boolean hasControl(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private Verdict accepted(Exchange exchange, UserStore.Entry entry) {
        if (!settings.forwardCredentials()) {
            exchange.request().headers().remove("Authorization");
        }
        return new Verdict.Authenticated(Identity.of(name(), entry.name(), entry.groups()));
    }

    private Verdict rejected(String reason) {
        return new Verdict.Rejected(reason, challenges.invalid(challenges.basic()));
    }

    @Override
    public String status() {
        StringBuilder text = new StringBuilder("basic: ").append(store().size()).append(" users");
        text.append(credentials.watching());
        text.append(", ").append(checks.size()).append(" recent matches remembered, ").append(checks.pending())
                .append(" checks under way\n");
        credentials.refusedChange().ifPresent(reason ->
                text.append("basic: last change of the user file refused, the users above stay: ").append(reason).append('\n'));
        return text.toString();
    }

    @Override
    public void close() {
        credentials.close();
    }
}
