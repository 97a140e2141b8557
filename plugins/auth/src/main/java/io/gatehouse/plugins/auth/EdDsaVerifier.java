package io.gatehouse.plugins.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * Ed25519 signatures ({@code EdDSA}, {@code Ed25519}) verified by the JDK (Java 15 and later),
 * because Nimbus's own Ed25519 verifier needs Google Tink, a large extra dependency. Refuses
 * tokens with critical header parameters, as Nimbus's verifiers do for the ones they do not know.
 */
final class EdDsaVerifier implements JWSVerifier {

    /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 key bytes. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final PublicKey key;
    private final JCAContext jca = new JCAContext();

    /**
     * @param x the public key's 32 bytes (the JWK's {@code x})
     * @throws JOSEException when they are no Ed25519 key
     */
    EdDsaVerifier(byte[] x) throws JOSEException {
        if (x.length != 32) {
            throw new JOSEException("an Ed25519 public key is 32 bytes");
        }
        byte[] encoded = new byte[X509_PREFIX.length + 32];
        System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
        System.arraycopy(x, 0, encoded, X509_PREFIX.length, 32);
        try {
            this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new JOSEException("not an Ed25519 public key", e);
        }
    }

    /**
     * @param encoded an Ed25519 public key in X.509 form
     * @return its 32 raw bytes
     * @throws IllegalArgumentException when it is no Ed25519 key
     */
    static byte[] rawKey(byte[] encoded) {
        if (encoded.length != X509_PREFIX.length + 32
                || !java.util.Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return java.util.Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!ALGORITHMS.contains(header.getAlgorithm())
                || (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty())) {
            return false;
        }
        byte[] bytes = signature.decode();
        if (bytes.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(bytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
