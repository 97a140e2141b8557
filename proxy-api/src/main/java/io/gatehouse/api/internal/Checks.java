package io.gatehouse.api.internal;

import io.gatehouse.api.annotation.Internal;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the implementations of the API's setters, so that every
 * implementation (the server's and the test kit's) refuses the same values.
 *
 * <p>Not part of the API (see {@link Internal}): public only because other packages of this module and the
 * server use it.
 *
 * @since 0.1, in {@code io.gatehouse.api} until 0.2
 */
@Internal
public final class Checks {

    private static final Pattern DETAIL = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

    private Checks() {
    }

    /**
     * @param timeout a duration
     * @return {@code timeout}
     * @throws IllegalArgumentException if it is not positive
     */
    public static Duration positive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return timeout;
    }

    /**
     * @param host a {@code Host} header value
     * @return {@code host}
     * @throws IllegalArgumentException if it is empty or holds characters a host may not
     */
    public static String hostHeader(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\') {
                throw new IllegalArgumentException("invalid character in host: " + host);
            }
        }
        return host;
    }

    /**
     * @param target a request target a filter sets ({@code RequestHead.setTarget})
     * @return {@code target}
     * @throws IllegalArgumentException unless it is in origin form (starts with {@code /}) or is
     *     {@code *}, with visible ASCII characters only (no space, control or non-ASCII character)
     * @since 0.2
     */
    public static String originFormTarget(String target) {
        Objects.requireNonNull(target, "target");
        if (!(target.startsWith("/") || target.equals("*"))) {
            throw new IllegalArgumentException("target must be in origin form (start with /): " + target);
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("invalid character in target");
            }
        }
        return target;
    }

    /**
     * @param status a status a filter sets on a response head ({@code ResponseHead.setStatus})
     * @return {@code status}
     * @throws IllegalArgumentException unless it is 200 to 599
     * @since 0.2
     */
    public static int responseStatus(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200 to 599: " + status);
        }
        return status;
    }

    /**
     * @param status a status sent to the client
     * @return {@code status}
     * @throws IllegalArgumentException unless it is 0 (none sent) or 100 to 999
     */
    public static int outcomeStatus(int status) {
        if (status != 0 && (status < 100 || status > 999)) {
            throw new IllegalArgumentException("status must be 0 (none sent) or 100 to 999: " + status);
        }
        return status;
    }

    /**
     * @param name what the value counts, for the message
     * @param value a count or a duration
     * @return {@code value}
     * @throws IllegalArgumentException if it is negative
     */
    public static long notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }

    /**
     * @param detail an outcome detail code
     * @return {@code detail}
     * @throws IllegalArgumentException unless it is lower_snake_case: a-z and digits, words joined by '_'
     */
    public static String detailCode(String detail) {
        Objects.requireNonNull(detail, "detail");
        if (!DETAIL.matcher(detail).matches()) {
            throw new IllegalArgumentException("detail must be a lower_snake_case code such as upstream_reset: \"" + detail + "\"");
        }
        return detail;
    }
}
