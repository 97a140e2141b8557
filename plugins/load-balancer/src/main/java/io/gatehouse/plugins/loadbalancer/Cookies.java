package io.gatehouse.plugins.loadbalancer;

import java.util.List;
import java.util.Optional;

/** Reads one cookie from {@code Cookie} header values (RFC 6265 §5.4: {@code a=1; b=2}). */
final class Cookies {

    private Cookies() {
    }

    static Optional<String> value(List<String> cookieHeaders, String name) {
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }
}
