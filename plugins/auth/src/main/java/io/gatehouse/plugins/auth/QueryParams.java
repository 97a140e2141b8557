package io.gatehouse.plugins.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few operations on a request's query that an API key in a parameter needs. Names and values
 * are percent-decoded strictly; {@code +} stays a plus (keys are not form data).
 */
final class QueryParams {

    private QueryParams() {
    }

    /**
     * @param query the query, without {@code ?}
     * @param name the parameter's decoded name
     * @return the decoded values of every occurrence, in order
     * @throws IllegalArgumentException for a bad percent escape in a matching parameter
     */
    static List<String> values(String query, String name) {
        List<String> values = new ArrayList<>(1);
        for (String part : query.split("&", -1)) {
            int eq = part.indexOf('=');
            String rawName = eq < 0 ? part : part.substring(0, eq);
            if (decodedEquals(rawName, name)) {
                values.add(decode(eq < 0 ? "" : part.substring(eq + 1)));
            }
        }
        return values;
    }

    /**
     * @param query the query, without {@code ?}
     * @param name the parameter's decoded name
     * @return the query without any occurrence of the parameter, empty when nothing is left
     */
    static Optional<String> without(String query, String name) {
        StringBuilder kept = new StringBuilder(query.length());
        for (String part : query.split("&", -1)) {
            int eq = part.indexOf('=');
            if (decodedEquals(eq < 0 ? part : part.substring(0, eq), name)) {
                continue;
            }
            if (kept.length() > 0) {
                kept.append('&');
            }
            kept.append(part);
        }
        return kept.length() == 0 ? Optional.empty() : Optional.of(kept.toString());
    }

    private static boolean decodedEquals(String rawName, String name) {
        if (rawName.indexOf('%') < 0) {
            return rawName.equals(name);
        }
        try {
            return decode(rawName).equals(name);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @param text percent-encoded text
     * @return the decoded UTF-8 text
     * @throws IllegalArgumentException for a bad escape
     */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("bad percent escape");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad percent escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
