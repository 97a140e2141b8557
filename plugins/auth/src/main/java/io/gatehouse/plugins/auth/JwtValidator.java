package io.gatehouse.plugins.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.api.HttpFields;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a compact JWS token against keys and the configured claims rules: size, form, an
 * allowed algorithm ({@code none} and JWE never), a key of the algorithm's own type, the
 * signature, then {@code exp}, {@code nbf}, {@code iss}, {@code aud} and the consumer claim.
 * Stateless and thread-safe; Nimbus parses and verifies, the claims are checked here against
 * the filter's clock. Header parameters that point at keys ({@code jku}, {@code x5u}, {@code jwk},
 * {@code x5c}) are ignored: keys come only from the configuration or its key server, and a
 * {@code kid} is only ever looked up, never used as a path or URL.
 */
final class JwtValidator {

    /** What became of a token. */
    sealed interface Result permits Valid, Invalid, NoKey {
    }

    /** What the checks before the signature found. */
    sealed interface Parse permits Parsed, Invalid {
    }

    /**
     * @param identity who the token speaks for
     * @param expiry its {@code exp}
     * @param notBefore its {@code nbf}
     */
    record Valid(Identity identity, Optional<Instant> expiry, Optional<Instant> notBefore) implements Result {

        /**
         * @param now the time
         * @param skew the clock skew allowed
         * @return whether the token is still (and already) valid at {@code now}
         */
        boolean current(Instant now, java.time.Duration skew) {
            return expiry.map(exp -> !now.isAfter(exp.plus(skew))).orElse(true)
                    && notBefore.map(nbf -> !now.plus(skew).isBefore(nbf)).orElse(true);
        }
    }

    /**
     * @param reason a stable code for logs and {@code /status}
     * @param description a fixed text for the {@code error_description}, without the token's content
     */
    record Invalid(String reason, String description) implements Result, Parse {
    }

    /** No key of the token's {@code kid} and algorithm is known: newer keys might have it. */
    record NoKey() implements Result {
    }

    /**
     * A token that passed the checks before the signature.
     *
     * @param jwt the parsed token
     * @param algorithm its algorithm, one of the allowed
     * @param kid its key id
     */
    record Parsed(SignedJWT jwt, JWSAlgorithm algorithm, Optional<String> kid) implements Parse {
    }

    static final Invalid NO_MATCHING_KEY = new Invalid("unknown_key", "no key matches the token");

    private final JwtSettings settings;

    JwtValidator(JwtSettings settings) {
        this.settings = settings;
    }

    /**
     * @param token the token, already checked to be a {@code b64token}
     * @return the parsed token, or why it was refused
     */
    Parse parse(String token) {
        if (token.length() > settings.maxTokenSize()) {
            return new Invalid("token_too_large", "the token is too large");
        }
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots == 4) {
            return new Invalid("encrypted_token", "encrypted tokens are not accepted");
        }
        if (dots != 2) {
            return new Invalid("malformed_token", "the token is malformed");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return new Invalid("malformed_token", "the token is malformed");
        }
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (algorithm == null || !settings.algorithms().contains(algorithm)) {
            return new Invalid("algorithm_refused", "the token's algorithm is not accepted");
        }
        return new Parsed(jwt, algorithm, Optional.ofNullable(header.getKeyID()));
    }

    /**
     * @param algorithm a token's algorithm
     * @return whether checking its signature must not run on an I/O thread ({@link JwtKeys.Family#slow()})
     */
    static boolean slow(JWSAlgorithm algorithm) {
        return JwtKeys.Family.of(algorithm).map(JwtKeys.Family::slow).orElse(false);
    }

    /**
     * @param token a parsed token
     * @param keys the keys known now
     * @param now the time to check {@code exp} and {@code nbf} against
     * @return the identity, why the token is refused, or that no known key fits it
     */
    Result verify(Parsed token, JwtKeys keys, Instant now) {
        List<JwtKeys.Key> candidates = keys.candidates(token.algorithm(), token.kid());
        if (candidates.isEmpty()) {
            return new NoKey();
        }
        byte[] signingInput = token.jwt().getSigningInput();
        boolean verified = false;
        for (JwtKeys.Key key : candidates) {
            try {
                if (key.verifier().verify(token.jwt().getHeader(), signingInput, token.jwt().getSignature())) {
                    verified = true;
                    break;
                }
            } catch (JOSEException | RuntimeException e) {
                // a signature of the wrong length or form: not verified
            }
        }
        if (!verified) {
            return new Invalid("bad_signature", "the signature is invalid");
        }
        JWTClaimsSet claims;
        try {
            claims = token.jwt().getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return new Invalid("malformed_token", "the token's claims are malformed");
        }
        return claims(claims, now);
    }

    private Result claims(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        if (exp == null && settings.requireExpiry()) {
            return new Invalid("no_expiry", "the token has no expiry");
        }
        if (exp != null && now.isAfter(exp.toInstant().plus(settings.clockSkew()))) {
            return new Invalid("expired", "the token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(settings.clockSkew()).isBefore(nbf.toInstant())) {
            return new Invalid("not_yet_valid", "the token is not valid yet");
        }
        if (settings.issuer().isPresent() && !settings.issuer().get().equals(claims.getIssuer())) {
            return new Invalid("wrong_issuer", "the token's issuer is not accepted");
        }
        if (!settings.audiences().isEmpty()
                && (claims.getAudience() == null || claims.getAudience().stream().noneMatch(settings.audiences()::contains))) {
            return new Invalid("wrong_audience", "the token's audience is not accepted");
        }
        Object consumer = claims.getClaim(settings.consumerClaim());
        if (!(consumer instanceof String name) || name.isEmpty() || name.length() > 1024) {
            return new Invalid("no_consumer", "the token names no subject");
        }
        Map<String, Object> values = new HashMap<>();
        claims.getClaims().forEach((key, value) -> {
            if (value != null) {
                values.put(key, value instanceof Date date ? date.toInstant().getEpochSecond() : value);
            }
        });
        return new Valid(new Identity("jwt", Optional.of(name), strings(claims.getClaim(settings.groupsClaim()), false),
                strings(claims.getClaim(settings.scopeClaim()), true), values, HttpFields.empty()),
                Optional.ofNullable(exp).map(Date::toInstant), Optional.ofNullable(nbf).map(Date::toInstant));
    }

    /** A list claim's strings, or a string claim (split at spaces for scopes). */
    private static Set<String> strings(Object claim, boolean spaceSeparated) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof String text) {
            if (spaceSeparated) {
                for (String part : text.split(" ")) {
                    if (!part.isEmpty()) {
                        values.add(part);
                    }
                }
            } else if (!text.isEmpty()) {
                values.add(text);
            }
        } else if (claim instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof String text && !text.isEmpty()) {
                    values.add(text);
                }
            }
        }
        return values;
    }
}
