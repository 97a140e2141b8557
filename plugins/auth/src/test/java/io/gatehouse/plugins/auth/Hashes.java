package io.gatehouse.plugins.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/** Writes hashes in the formats the plugin reads, as the tools users run would (htpasswd, argon2, passlib, openssl). */
final class Hashes {

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private Hashes() {
    }

    static String sha256(String key) {
        byte[] salt = Digests.random(16);
        MessageDigest sha = Digests.sha256();
        sha.update(salt);
        sha.update(key.getBytes(StandardCharsets.UTF_8));
        return "$sha256$" + Base64.getEncoder().encodeToString(salt) + "$" + Base64.getEncoder().encodeToString(sha.digest());
    }

    /** Cost 4: the cheapest, for fast tests. */
    static String bcrypt(String password) {
        return bcrypt(password, 4);
    }

    static String bcrypt(String password, int cost) {
        return OpenBSDBCrypt.generate("2b", password.getBytes(StandardCharsets.UTF_8), Digests.random(16), cost);
    }

    static String argon2id(String password) {
        byte[] salt = Digests.random(16);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(1024).withIterations(2).withParallelism(1).withSalt(salt).build());
        byte[] hash = new byte[32];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        return "$argon2id$v=19$m=1024,t=2,p=1$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    static String pbkdf2(String password, boolean passlib) {
        byte[] salt = Digests.random(16);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 1000, 256)).getEncoded();
            return passlib
                    ? "$pbkdf2-sha256$1000$" + B64.encodeToString(salt).replace('+', '.') + "$" + B64.encodeToString(hash).replace('+', '.')
                    : "$pbkdf2-sha256$i=1000$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
