package io.gatehouse.plugins.cache.fanout;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The text of a fan-out message, signed with the shared token (HMAC-SHA256), so that only
 * instances that know the token can make others drop entries:
 * {@code v1 SENDER KIND SIGNATURE KEY}, where {@code SENDER} tells an instance its own messages
 * apart and the key comes last (it may hold spaces). Thread-safe.
 */
public final class SignedMessages {

    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec token;
    private final String sender;

    /**
     * @param token the shared secret
     * @param sender this instance's id (no spaces)
     */
    public SignedMessages(byte[] token, String sender) {
        if (token.length == 0 || sender.isEmpty() || sender.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("a token and a sender id without spaces are required");
        }
        this.token = new SecretKeySpec(token.clone(), "HmacSHA256");
        this.sender = sender;
    }

    /** @return the signed text of {@code message}, sent by this instance */
    public String encode(InvalidationMessage message) {
        String kind = message.kind().name();
        return VERSION + " " + sender + " " + kind + " " + signature(sender, kind, message.key()) + " " + message.key();
    }

    /** @return whether {@code text} was sent by this instance (Redis delivers a publisher's own messages to it too) */
    public boolean isOwn(String text) {
        return text.startsWith(VERSION + " " + sender + " ");
    }

    /**
     * @param text a message as received
     * @return the message when it is well-formed, correctly signed and from another instance
     */
    public Optional<InvalidationMessage> decode(String text) {
        String[] parts = text.split(" ", 5);
        if (parts.length != 5 || !parts[0].equals(VERSION) || parts[1].equals(sender)) {
            return Optional.empty();
        }
        InvalidationMessage.Kind kind;
        try {
            kind = InvalidationMessage.Kind.valueOf(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] expected = signature(parts[1], parts[2], parts[4]).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new InvalidationMessage(kind, parts[4]));
    }

    private String signature(String from, String kind, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(token);
            mac.update((VERSION + " " + from + " " + kind + " ").getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
