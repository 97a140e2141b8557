package io.gatehouse.plugins.compression;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The media types worth compressing: exact ({@code application/json}), a whole top-level type
 * ({@code text/*}) or a structured-syntax suffix ({@code *}{@code /*+json}). Parameters
 * ({@code ; charset=utf-8}) and case do not count.
 */
final class MediaTypes {

    private final List<String> exact;
    private final List<String> topLevels;
    private final List<String> suffixes;

    private MediaTypes(List<String> exact, List<String> topLevels, List<String> suffixes) {
        this.exact = exact;
        this.topLevels = topLevels;
        this.suffixes = suffixes;
    }

    /** Text, scripts, JSON, XML, SVG, WebAssembly and the {@code +json}/{@code +xml} families. */
    static final List<String> DEFAULTS = List.of("text/*", "application/json", "application/javascript", "application/xml",
            "application/wasm", "image/svg+xml", "*/*+json", "*/*+xml");

    /**
     * @param patterns the configured patterns
     * @return the matcher
     * @throws IllegalArgumentException naming a pattern that is none of the three forms
     */
    static MediaTypes of(List<String> patterns) {
        List<String> exact = new java.util.ArrayList<>();
        List<String> topLevels = new java.util.ArrayList<>();
        List<String> suffixes = new java.util.ArrayList<>();
        for (String raw : patterns) {
            String pattern = raw.trim().toLowerCase(Locale.ROOT);
            if (pattern.startsWith("*/*+") && pattern.length() > 4) {
                suffixes.add(pattern.substring(3));
            } else if (pattern.endsWith("/*") && pattern.indexOf('/') == pattern.length() - 2 && !pattern.startsWith("*")) {
                topLevels.add(pattern.substring(0, pattern.length() - 1));
            } else if (pattern.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")) {
                exact.add(pattern);
            } else {
                throw new IllegalArgumentException("'" + raw + "' is not a media type, TYPE/* or */*+SUFFIX");
            }
        }
        return new MediaTypes(List.copyOf(exact), List.copyOf(topLevels), List.copyOf(suffixes));
    }

    /** @return whether a body of this {@code Content-Type} is worth compressing; no type: no */
    boolean matches(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String value = contentType.get();
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        if (exact.contains(type)) {
            return true;
        }
        for (String topLevel : topLevels) {
            if (type.startsWith(topLevel)) {
                return true;
            }
        }
        for (String suffix : suffixes) {
            if (type.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
