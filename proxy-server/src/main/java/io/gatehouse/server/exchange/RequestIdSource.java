package io.gatehouse.server.exchange;

import io.gatehouse.server.config.RequestIds;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses the request id of an exchange ({@code Keys.REQUEST_ID}): the value of the request-id
 * field when a trusted proxy sent exactly one valid value, else a new id. A new id is this
 * process's random prefix (48 bits, drawn once from {@link SecureRandom}) and a counter, both in
 * hexadecimal: unique within the process without any per-request randomness, and unlikely to
 * collide between processes. Thread-safe.
 */
final class RequestIdSource {

    /** The longest id kept from a request. */
    static final int MAX_LENGTH = 200;

    private static final String PREFIX = prefix();
    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestIdSource() {
    }

    /**
     * @param request the client→proxy request head, before any field was removed
     * @param trusted whether its sender is a trusted proxy
     * @param rules the request-id settings (enabled)
     * @return the exchange's request id
     */
    static String choose(HttpRequest request, boolean trusted, RequestIds rules) {
        if (trusted) {
            Header[] sent = request.getHeaders(rules.header());
            if (sent.length == 1 && valid(sent[0].getValue())) {
                return sent[0].getValue();
            }
        }
        return generate();
    }

    /** @return a new id, such as {@code 5f0c2a9be41d-1a} */
    static String generate() {
        return PREFIX + Long.toHexString(COUNTER.incrementAndGet());
    }

    /**
     * @param value a received id
     * @return whether it is 1 to {@value #MAX_LENGTH} visible ASCII characters (no space, no
     *     control, no {@code "} or {@code \}, which logs would have to escape)
     */
    static boolean valid(String value) {
        int length = value.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String prefix() {
        long bits = new SecureRandom().nextLong() & 0xffff_ffff_ffffL;
        String hex = Long.toHexString(bits | (1L << 48)); // 13 digits, the first always 1: fixed width
        return hex.substring(1) + "-";
    }
}
