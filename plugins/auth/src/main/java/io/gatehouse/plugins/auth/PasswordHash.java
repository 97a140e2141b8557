package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stored hash of a secret (a password or an API key), never the secret itself. Parsed once at
 * start-up from its text form; {@link #matches} compares in constant time. Formats:
 * <ul>
 *   <li>{@code $sha256$SALT$HASH}: SHA-256 over the salt's bytes then the secret's UTF-8 bytes,
 *       both in standard Base64; fast, for high-entropy API keys only;</li>
 *   <li>bcrypt: {@code $2a$}, {@code $2b$} or {@code $2y$} (as {@code htpasswd -B} writes), cost 4 to 16;</li>
 *   <li>Argon2 in the PHC string format: {@code $argon2id$v=19$m=65536,t=3,p=4$SALT$HASH}
 *       (also {@code argon2i}, {@code argon2d}), memory at most 256 MiB;</li>
 *   <li>PBKDF2 with HMAC-SHA-256 or -512: {@code $pbkdf2-sha256$i=600000$SALT$HASH} (PHC, standard
 *       Base64) or passlib's {@code $pbkdf2-sha256$600000$SALT$HASH} (its adapted Base64).</li>
 * </ul>
 * Anything else is refused, plain text included.
 */
sealed interface PasswordHash permits PasswordHash.SaltedSha256, PasswordHash.Bcrypt, PasswordHash.Argon2,
        PasswordHash.Pbkdf2 {

    /**
     * @param secret the presented secret, UTF-8
     * @return whether it is the secret this hash was made from; compared in constant time
     */
    boolean matches(byte[] secret);

    /** @return whether checking costs enough CPU (a password hash) that it must not run on an I/O thread */
    boolean slow();

    /** @return the algorithm's name, for {@code /status} */
    String algorithm();

    /**
     * @param text the hash as written in the config
     * @param key the full config key holding it, for errors
     * @return the parsed hash
     * @throws ConfigException naming {@code key} when the text is no supported hash
     */
    static PasswordHash parse(String text, String key) {
        try {
            if (text.startsWith("$sha256$")) {
                return SaltedSha256.parse(text);
            }
            if (text.startsWith("$2a$") || text.startsWith("$2b$") || text.startsWith("$2y$")) {
                return Bcrypt.parse(text);
            }
            if (text.startsWith("$argon2")) {
                return Argon2.parse(text);
            }
            if (text.startsWith("$pbkdf2-")) {
                return Pbkdf2.parse(text);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
        throw new ConfigException(key, "not a supported hash ($sha256$, bcrypt $2b$, $argon2id$, $pbkdf2-sha256$); "
                + "plain-text secrets are refused");
    }

    /** Decodes standard Base64 with or without padding; {@link IllegalArgumentException} otherwise. */
    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid Base64");
        }
    }

    /** {@code $sha256$SALT$HASH}: one SHA-256 over salt and secret. */
    record SaltedSha256(byte[] salt, byte[] hash) implements PasswordHash {

        static SaltedSha256 parse(String text) {
            String[] parts = text.split("\\$", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("expected $sha256$SALT$HASH");
            }
            byte[] salt = base64(parts[2], "the salt");
            byte[] hash = base64(parts[3], "the hash");
            if (salt.length < 8) {
                throw new IllegalArgumentException("the salt must be at least 8 bytes, got " + salt.length);
            }
            if (hash.length != 32) {
                throw new IllegalArgumentException("a SHA-256 hash is 32 bytes, got " + hash.length);
            }
            return new SaltedSha256(salt, hash);
        }

        @Override
        public boolean matches(byte[] secret) {
            MessageDigest sha = Digests.sha256();
            sha.update(salt);
            sha.update(secret);
            return MessageDigest.isEqual(sha.digest(), hash);
        }

        @Override
        public boolean slow() {
            return false;
        }

        @Override
        public String algorithm() {
            return "sha256";
        }
    }

    /** bcrypt, checked by Bouncy Castle. */
    record Bcrypt(String text, int cost) implements PasswordHash {

        private static final Pattern FORM = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
        /** bcrypt reads at most 72 bytes of the secret; implementations that write hashes truncate. */
        private static final int MAX_SECRET = 72;

        static Bcrypt parse(String text) {
            Matcher m = FORM.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a bcrypt hash ($2b$NN$ and 53 characters)");
            }
            int cost = Integer.parseInt(m.group(1));
            if (cost < 4 || cost > 16) {
                throw new IllegalArgumentException("bcrypt cost must be 4 to 16, got " + cost);
            }
            return new Bcrypt(text, cost);
        }

        @Override
        public boolean matches(byte[] secret) {
            try {
                return OpenBSDBCrypt.checkPassword(text, secret.length > MAX_SECRET ? Arrays.copyOf(secret, MAX_SECRET) : secret);
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public boolean slow() {
            return true;
        }

        @Override
        public String algorithm() {
            return "bcrypt";
        }
    }

    /** Argon2 (PHC string format), computed by Bouncy Castle. */
    record Argon2(int type, int version, int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash)
            implements PasswordHash {

        private static final Pattern FORM = Pattern.compile(
                "\\$(argon2id|argon2i|argon2d)\\$v=(\\d+)\\$m=(\\d{1,9}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
        /** 256 MiB: sixteen blocking threads hashing at once must not exhaust the heap. */
        private static final int MAX_MEMORY_KIB = 256 * 1024;

        static Argon2 parse(String text) {
            Matcher m = FORM.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("expected $argon2id$v=19$m=KIB,t=N,p=N$SALT$HASH");
            }
            int type = switch (m.group(1)) {
                case "argon2id" -> Argon2Parameters.ARGON2_id;
                case "argon2i" -> Argon2Parameters.ARGON2_i;
                default -> Argon2Parameters.ARGON2_d;
            };
            int version = Integer.parseInt(m.group(2));
            if (version != Argon2Parameters.ARGON2_VERSION_13 && version != Argon2Parameters.ARGON2_VERSION_10) {
                throw new IllegalArgumentException("Argon2 version must be 19 or 16, got " + version);
            }
            int memory = Integer.parseInt(m.group(3));
            int iterations = Integer.parseInt(m.group(4));
            int parallelism = Integer.parseInt(m.group(5));
            if (memory > MAX_MEMORY_KIB || iterations < 1 || iterations > 64 || parallelism < 1 || parallelism > 64
                    || memory < 8 * parallelism) {
                throw new IllegalArgumentException("Argon2 parameters out of range (m at most " + MAX_MEMORY_KIB
                        + " KiB and at least 8*p, t 1 to 64, p 1 to 64)");
            }
            byte[] salt = base64(m.group(6), "the salt");
            byte[] hash = base64(m.group(7), "the hash");
            if (salt.length < 8 || hash.length < 16) {
                throw new IllegalArgumentException("Argon2 salt must be at least 8 bytes and the hash at least 16");
            }
            return new Argon2(type, version, memory, iterations, parallelism, salt, hash);
        }

        @Override
        public boolean matches(byte[] secret) {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKiB)
                    .withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
            byte[] computed = new byte[hash.length];
            generator.generateBytes(secret, computed);
            return MessageDigest.isEqual(computed, hash);
        }

        @Override
        public boolean slow() {
            return true;
        }

        @Override
        public String algorithm() {
            return "argon2";
        }
    }

    /** PBKDF2 with HMAC-SHA-256 or -512, computed by the JDK ({@code javax.crypto}). */
    record Pbkdf2(String jdkAlgorithm, int iterations, byte[] salt, byte[] hash) implements PasswordHash {

        private static final Pattern FORM = Pattern.compile(
                "\\$pbkdf2-(sha256|sha512)\\$(i=)?(\\d{1,8})\\$([A-Za-z0-9+/.]+)\\$([A-Za-z0-9+/.]+)");

        static Pbkdf2 parse(String text) {
            Matcher m = FORM.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("expected $pbkdf2-sha256$i=ITERATIONS$SALT$HASH");
            }
            String algorithm = m.group(1).equals("sha256") ? "PBKDF2WithHmacSHA256" : "PBKDF2WithHmacSHA512";
            int iterations = Integer.parseInt(m.group(3));
            if (iterations < 1000 || iterations > 10_000_000) {
                throw new IllegalArgumentException("PBKDF2 iterations must be 1000 to 10000000, got " + iterations);
            }
            boolean phc = m.group(2) != null;
            // passlib's adapted Base64 writes '.' for '+'
            byte[] salt = base64(phc ? m.group(4) : m.group(4).replace('.', '+'), "the salt");
            byte[] hash = base64(phc ? m.group(5) : m.group(5).replace('.', '+'), "the hash");
            if (salt.length < 8 || hash.length < 16) {
                throw new IllegalArgumentException("PBKDF2 salt must be at least 8 bytes and the hash at least 16");
            }
            try {
                SecretKeyFactory.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("this JVM has no " + algorithm);
            }
            return new Pbkdf2(algorithm, iterations, salt, hash);
        }

        @Override
        public boolean matches(byte[] secret) {
            char[] chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(secret)).toString().toCharArray();
            PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, hash.length * 8);
            try {
                byte[] computed = SecretKeyFactory.getInstance(jdkAlgorithm).generateSecret(spec).getEncoded();
                return MessageDigest.isEqual(computed, hash);
            } catch (GeneralSecurityException e) {
                return false;
            } finally {
                spec.clearPassword();
                Arrays.fill(chars, '\0');
            }
        }

        @Override
        public boolean slow() {
            return true;
        }

        @Override
        public String algorithm() {
            return "pbkdf2";
        }
    }
}
