package io.gatehouse.api.internal;

import io.gatehouse.api.annotation.Internal;

import java.time.Duration;
import java.util.Objects;

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
}
