package io.gatehouse.plugins.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Keys and tokens made in the tests; nothing is read from disk. */
final class Tokens {

    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private Tokens() {
    }

    /** A signing key and the public JWK that verifies it. */
    record SigningKey(JWK publicJwk, JWSSigner signer, JWSAlgorithm algorithm, PrivateKey privateKey) {

        String kid() {
            return publicJwk.getKeyID();
        }

        String jwks() {
            return new JWKSet(publicJwk).toString();
        }

        /** @return the public key in PEM ({@code BEGIN PUBLIC KEY}) */
        String pem() {
            try {
                java.security.PublicKey key = publicJwk instanceof RSAKey rsa ? rsa.toPublicKey()
                        : ((ECKey) publicJwk).toPublicKey();
                return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static SigningKey rsa(String kid) {
        return rsa(kid, JWSAlgorithm.RS256, 2048);
    }

    static SigningKey rsa(String kid, JWSAlgorithm algorithm, int bits) {
        KeyPair pair = generate("RSA", g -> g.initialize(bits));
        RSAKey jwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).build();
        return new SigningKey(jwk, new RSASSASigner((RSAPrivateKey) pair.getPrivate(), true), algorithm, pair.getPrivate());
    }

    static SigningKey ec(String kid, JWSAlgorithm algorithm) {
        Curve curve = algorithm == JWSAlgorithm.ES256 ? Curve.P_256 : algorithm == JWSAlgorithm.ES384 ? Curve.P_384 : Curve.P_521;
        KeyPair pair = generate("EC", g -> {
            try {
                g.initialize(new ECGenParameterSpec(curve.getStdName()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        ECKey jwk = new ECKey.Builder(curve, (ECPublicKey) pair.getPublic()).keyID(kid).build();
        try {
            return new SigningKey(jwk, new ECDSASigner((ECPrivateKey) pair.getPrivate(), curve), algorithm, pair.getPrivate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static SigningKey ed25519(String kid) {
        KeyPair pair = generate("Ed25519", g -> { });
        byte[] x = EdDsaVerifier.rawKey(pair.getPublic().getEncoded());
        OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build();
        return new SigningKey(jwk, null, JWSAlgorithm.EdDSA, pair.getPrivate());
    }

    private static KeyPair generate(String algorithm, Consumer<KeyPairGenerator> init) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            init.accept(generator);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return claims for {@code alice}, valid for an hour from {@link #NOW} */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").issuer("https://id.example.com").audience("orders-api")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(3600)));
    }

    static String sign(SigningKey key, JWTClaimsSet claims) {
        return sign(key, new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(JOSEObjectType.JWT).build(), claims);
    }

    static String sign(SigningKey key, JWSHeader header, JWTClaimsSet claims) {
        if (key.signer() == null) {
            return signEd25519(key.privateKey(), header, claims);
        }
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(key.signer());
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HMAC token over any secret bytes (also a public key's, for alg confusion). */
    static String hmac(byte[] secret, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signEd25519(PrivateKey key, JWSHeader header, JWTClaimsSet claims) {
        String input = header.toBase64URL() + "." + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64URL.encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a token with {@code "alg":"none"} and no signature */
    static String unsigned(JWTClaimsSet claims) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
        return header + "." + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** @return a JWKS document of these keys */
    static String jwks(SigningKey... keys) {
        return new JWKSet(List.of(keys).stream().map(SigningKey::publicJwk).toList()).toString();
    }

    /** @return claims with extra values */
    static JWTClaimsSet with(Map<String, Object> extra) {
        JWTClaimsSet.Builder builder = claims();
        extra.forEach(builder::claim);
        return builder.build();
    }
}
