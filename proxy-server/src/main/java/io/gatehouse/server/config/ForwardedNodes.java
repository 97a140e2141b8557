package io.gatehouse.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the hops of {@code X-Forwarded-For} ({@code 203.0.113.7, 10.0.0.2}) and of the
 * {@code for=} parameters of {@code Forwarded} (RFC 7239: {@code for="[2001:db8::1]:4711"}),
 * and turns a hop into an address. Only IP literals are read (never a DNS lookup); obfuscated
 * and {@code unknown} hops read as empty.
 */
final class ForwardedNodes {

    private ForwardedNodes() {
    }

    /** @return the hops of the {@code X-Forwarded-For} values, left to right */
    static List<String> ofXForwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",")) {
                hops.add(hop.trim());
            }
        }
        return hops;
    }

    /** @return the {@code for=} node of each element of the {@code Forwarded} values, left to right */
    static List<String> ofForwarded(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String element : split(value, ',')) {
                String node = "";
                for (String pair : split(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                        node = unquote(pair.substring(eq + 1).trim());
                    }
                }
                hops.add(node);
            }
        }
        return hops;
    }

    /** Splits at {@code separator} outside double quotes. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).trim());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\", "");
        }
        return value;
    }

    /**
     * @param node {@code 192.0.2.7}, {@code 192.0.2.7:8080}, {@code 2001:db8::1},
     *     {@code [2001:db8::1]} or {@code [2001:db8::1]:443}
     * @return the address, or empty for anything else ({@code unknown}, {@code _hidden}, names)
     */
    static Optional<InetAddress> address(String node) {
        String host = node;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = host.substring(1, close);
            if (host.indexOf(':') < 0) {
                return Optional.empty();
            }
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':')); // IPv4 with a port
        }
        if (host.indexOf(':') >= 0) {
            if (!host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return Optional.empty();
            }
        } else if (!isDottedQuad(host)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
