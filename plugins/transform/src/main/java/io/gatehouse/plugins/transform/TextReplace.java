package io.gatehouse.plugins.transform;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A regex replacement in a text body (UTF-8), held whole up to {@code maxSize}: every match of
 * {@code pattern} becomes {@code replacement} ({@code $1} for groups).
 *
 * @param maxSize the largest body edited
 * @param pattern compiled at start-up
 * @param replacement with group references
 */
record TextReplace(long maxSize, Pattern pattern, String replacement) {

    byte[] apply(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return pattern.matcher(text).replaceAll(replacement).getBytes(StandardCharsets.UTF_8);
    }
}
