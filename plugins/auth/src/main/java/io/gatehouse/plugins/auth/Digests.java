package io.gatehouse.plugins.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * SHA-256 helpers, and {@link Key}: the form in which a credential is remembered in a cache, a
 * SHA-256 over a random per-instance salt and the credential, so that neither the credential nor
 * an unsalted digest of it is ever kept.
 */
final class Digests {

    private Digests() {
    }

    /** @return a new SHA-256 digest (every JDK has it) */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** @return {@code n} random bytes */
    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** A salted digest of a credential: a cache key. Immutable; compares by content. */
    static final class Key {

        private final byte[] digest;
        private final int hash;

        private Key(byte[] digest) {
            this.digest = digest;
            this.hash = Arrays.hashCode(digest);
        }

        /**
         * @param salt the instance's salt
         * @param parts the credential's parts (each length-prefixed, so that parts cannot run into each other)
         * @return the key
         */
        static Key of(byte[] salt, String... parts) {
            MessageDigest sha = sha256();
            sha.update(salt);
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update((byte) (bytes.length >>> 24));
                sha.update((byte) (bytes.length >>> 16));
                sha.update((byte) (bytes.length >>> 8));
                sha.update((byte) bytes.length);
                sha.update(bytes);
            }
            return new Key(sha.digest());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && MessageDigest.isEqual(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Key[salted SHA-256]";
        }
    }
}
