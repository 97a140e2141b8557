package io.gatehouse.plugins.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.gatehouse.api.ConfigException;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Static verification keys as written in the config or a key file: PEM public keys ({@code BEGIN
 * PUBLIC KEY}) and certificates ({@code BEGIN CERTIFICATE}), read with the JDK, or a JWK or JWK set
 * as JSON. Private keys are refused: the proxy only verifies.
 */
final class KeyMaterial {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private KeyMaterial() {
    }

    /**
     * @param text one or more PEM blocks, or a JWK or JWK set in JSON
     * @param path the key holding it, for errors
     * @return the public keys
     * @throws ConfigException naming {@code path}
     */
    static List<JWK> parse(String text, String path) {
        String trimmed = text.trim();
        if (trimmed.startsWith("{")) {
            return json(trimmed, path);
        }
        if (trimmed.contains("PRIVATE KEY-----")) {
            throw new ConfigException(path, "a private key: give the public key (the proxy only verifies signatures)");
        }
        List<JWK> keys = new ArrayList<>();
        Matcher m = PEM.matcher(trimmed);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path, "a PEM block that is not Base64");
            }
            keys.add(switch (m.group(1)) {
                case "PUBLIC KEY" -> jwk(publicKey(der, path), path);
                case "CERTIFICATE" -> jwk(certificateKey(der, path), path);
                case "RSA PUBLIC KEY" -> throw new ConfigException(path, "a PKCS#1 RSA key: convert it with "
                        + "`openssl rsa -RSAPublicKey_in -pubout` to BEGIN PUBLIC KEY");
                default -> throw new ConfigException(path, "a PEM block of type " + m.group(1) + ": expected PUBLIC KEY or CERTIFICATE");
            });
        }
        if (keys.isEmpty()) {
            throw new ConfigException(path, "expected PEM (BEGIN PUBLIC KEY or BEGIN CERTIFICATE), or a JWK or JWK set in JSON");
        }
        return List.copyOf(keys);
    }

    private static List<JWK> json(String text, String path) {
        try {
            List<JWK> keys = text.contains("\"keys\"") ? JWKSet.parse(text).getKeys() : List.of(JWK.parse(text));
            List<JWK> publicKeys = new ArrayList<>();
            for (JWK key : keys) {
                if (key.toPublicJWK() == null) {
                    throw new ConfigException(path, "a symmetric JWK (kty oct): give HMAC secrets as hmac-secret");
                }
                publicKeys.add(key.toPublicJWK());
            }
            return List.copyOf(publicKeys);
        } catch (ParseException e) {
            throw new ConfigException(path, "not a valid JWK or JWK set: " + e.getMessage());
        }
    }

    private static PublicKey publicKey(byte[] der, String path) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next type
            }
        }
        throw new ConfigException(path, "a public key that is not RSA, EC or Ed25519");
    }

    private static PublicKey certificateKey(byte[] der, String path) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new ConfigException(path, "not a valid X.509 certificate");
        }
    }

    private static JWK jwk(PublicKey key, String path) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new ConfigException(path, "an EC key on a curve other than P-256, P-384 or P-521");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        if (key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")) {
            try {
                return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(EdDsaVerifier.rawKey(key.getEncoded()))).build();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path, "an EdDSA key that is not Ed25519");
            }
        }
        throw new ConfigException(path, "a " + key.getAlgorithm() + " key: expected RSA, EC or Ed25519");
    }
}
