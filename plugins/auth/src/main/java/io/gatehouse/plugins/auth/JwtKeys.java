package io.gatehouse.plugins.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verification keys, each with its verifier built once. Immutable. A key serves only the
 * algorithms of its own type ({@link Family}): an HMAC algorithm is only ever checked against an
 * {@code hmac-secret}, never against the bytes of a public key, which is what defeats {@code alg}
 * confusion.
 */
final class JwtKeys {

    /** The most keys a token without {@code kid} is tried against. */
    static final int MAX_TRIES = 4;
    /** The smallest RSA modulus accepted. */
    static final int MIN_RSA_BITS = 2048;

    static final JwtKeys EMPTY = new JwtKeys(List.of());

    /** A key type, and the algorithms it serves. */
    enum Family {
        RSA, EC_P256, EC_P384, EC_P521, ED25519, HMAC;

        /**
         * @return whether checking a signature costs enough CPU that it must not run on an I/O
         *     thread: EC and EdDSA are pure Java on Java 17 and take about a millisecond (RSA about
         *     40 microseconds, HMAC one)
         */
        boolean slow() {
            return this != RSA && this != HMAC;
        }

        /**
         * @param algorithm a JWS algorithm
         * @return the family of keys that verify it, or empty for an algorithm this filter does not support
         */
        static Optional<Family> of(JWSAlgorithm algorithm) {
            String name = algorithm.getName();
            if (name.startsWith("RS") || name.startsWith("PS")) {
                return Optional.of(RSA);
            }
            return Optional.ofNullable(switch (name) {
                case "ES256" -> EC_P256;
                case "ES384" -> EC_P384;
                case "ES512" -> EC_P521;
                case "EdDSA", "Ed25519" -> ED25519;
                case "HS256", "HS384", "HS512" -> HMAC;
                default -> null;
            });
        }
    }

    /**
     * One key.
     *
     * @param kid its key id
     * @param family its type
     * @param algorithm the one algorithm it may be used with, when its JWK says so
     * @param verifier its verifier
     */
    record Key(Optional<String> kid, Family family, Optional<JWSAlgorithm> algorithm, JWSVerifier verifier) {

        boolean serves(JWSAlgorithm alg, Family algFamily) {
            return family == algFamily && algorithm.map(a -> a.equals(alg) || algFamily == Family.ED25519).orElse(true);
        }
    }

    private final List<Key> keys;

    private JwtKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * Builds verifiers for the usable public keys among {@code jwks}; keys for other uses, of
     * unknown types or curves, and RSA keys under {@value #MIN_RSA_BITS} bits are left out (and
     * counted in {@code skipped}). Symmetric keys are never taken from a JWK: see {@link #hmac}.
     *
     * @param jwks the keys
     * @param skipped receives a short reason per key left out
     * @return the usable keys
     */
    static JwtKeys of(List<JWK> jwks, java.util.function.Consumer<String> skipped) {
        List<Key> usable = new ArrayList<>();
        for (JWK jwk : jwks) {
            try {
                Optional<Key> key = key(jwk);
                if (key.isPresent()) {
                    usable.add(key.get());
                } else {
                    skipped.accept("key " + Optional.ofNullable(jwk.getKeyID()).orElse("without kid") + " (" + jwk.getKeyType() + ") not usable for signatures");
                }
            } catch (JOSEException | RuntimeException e) {
                skipped.accept("key " + Optional.ofNullable(jwk.getKeyID()).orElse("without kid") + " invalid");
            }
        }
        return new JwtKeys(usable);
    }

    private static Optional<Key> key(JWK jwk) throws JOSEException {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return Optional.empty();
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return Optional.empty();
        }
        Optional<JWSAlgorithm> algorithm = Optional.empty();
        if (jwk.getAlgorithm() != null) {
            JWSAlgorithm alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            if (Family.of(alg).isEmpty()) {
                return Optional.empty();
            }
            algorithm = Optional.of(alg);
        }
        Optional<String> kid = Optional.ofNullable(jwk.getKeyID());
        if (jwk instanceof RSAKey rsa) {
            if (rsa.size() < MIN_RSA_BITS) {
                return Optional.empty();
            }
            return Optional.of(new Key(kid, Family.RSA, algorithm, new RSASSAVerifier(rsa.toRSAPublicKey())));
        }
        if (jwk instanceof ECKey ec) {
            Family family = Curve.P_256.equals(ec.getCurve()) ? Family.EC_P256
                    : Curve.P_384.equals(ec.getCurve()) ? Family.EC_P384
                    : Curve.P_521.equals(ec.getCurve()) ? Family.EC_P521 : null;
            return family == null ? Optional.empty()
                    : Optional.of(new Key(kid, family, algorithm, new ECDSAVerifier(ec.toECPublicKey())));
        }
        if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            return Optional.of(new Key(kid, Family.ED25519, algorithm, new EdDsaVerifier(okp.getDecodedX())));
        }
        return Optional.empty();
    }

    /**
     * @param secret an HMAC secret of at least 32 bytes
     * @return a key set with that secret, for {@code HS256}, {@code HS384}, {@code HS512}
     * @throws JOSEException when the secret is too short
     */
    static JwtKeys hmac(byte[] secret) throws JOSEException {
        return new JwtKeys(List.of(new Key(Optional.empty(), Family.HMAC, Optional.empty(), new MACVerifier(secret))));
    }

    /**
     * @param other more keys
     * @return these keys and {@code other}'s
     */
    JwtKeys plus(JwtKeys other) {
        if (other.keys.isEmpty()) {
            return this;
        }
        List<Key> all = new ArrayList<>(keys);
        all.addAll(other.keys);
        return new JwtKeys(all);
    }

    /**
     * The keys to try for a token: those with its {@code kid} (or without any {@code kid}) that
     * serve its algorithm; for a token without {@code kid}, the first {@value #MAX_TRIES} keys that
     * serve its algorithm.
     *
     * @param algorithm the token's algorithm
     * @param kid the token's key id
     * @return the keys, best first; empty when none could have signed it
     */
    List<Key> candidates(JWSAlgorithm algorithm, Optional<String> kid) {
        Optional<Family> family = Family.of(algorithm);
        if (family.isEmpty()) {
            return List.of();
        }
        List<Key> exact = new ArrayList<>(1);
        List<Key> anonymous = new ArrayList<>(1);
        for (Key key : keys) {
            if (!key.serves(algorithm, family.get())) {
                continue;
            }
            if (key.kid().isEmpty()) {
                anonymous.add(key);
            } else if (kid.isEmpty() || key.kid().equals(kid)) {
                exact.add(key);
            }
        }
        exact.addAll(anonymous);
        return exact.size() > MAX_TRIES ? exact.subList(0, MAX_TRIES) : exact;
    }

    /** @return how many keys */
    int size() {
        return keys.size();
    }

    /** @return the key ids, for {@code /status} */
    List<String> kids() {
        return keys.stream().map(k -> k.kid().orElse("(no kid)")).toList();
    }
}
