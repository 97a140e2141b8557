package io.gatehouse.plugins.router;

import io.gatehouse.api.http.PathNormalizer;

import java.util.regex.Pattern;

/**
 * A route's path condition, matched against the normalised path. The kinds rank, from most to
 * least specific: {@code path} (exact), {@code path-prefix} (longer before shorter),
 * {@code path-regex} (the whole path must match), and no condition at all.
 *
 * @param kind which condition
 * @param value the exact path or the prefix (normalised, without trailing slash except the root
 *     {@code /}), or the regular expression's source
 * @param pattern the compiled regular expression for {@link Kind#REGEX}
 */
record PathCondition(Kind kind, String value, Pattern pattern) {

    /** The kinds of path condition, most specific first. */
    enum Kind { EXACT, PREFIX, REGEX, ANY }

    static final PathCondition ANY = new PathCondition(Kind.ANY, "", null);

    static PathCondition exact(String path) {
        return new PathCondition(Kind.EXACT, PathNormalizer.normalize(path), null);
    }

    static PathCondition prefix(String prefix) {
        String p = PathNormalizer.normalize(prefix);
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return new PathCondition(Kind.PREFIX, p, null);
    }

    static PathCondition regex(String regex) {
        return new PathCondition(Kind.REGEX, regex, Pattern.compile(regex));
    }

    /**
     * @param prefix a normalised prefix
     * @param path a normalised path
     * @return whether {@code prefix} covers {@code path} on a segment boundary
     */
    static boolean coversSegments(String prefix, String path) {
        if (prefix.equals("/")) {
            return path.startsWith("/");
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EXACT -> "path " + value;
            case PREFIX -> "path-prefix " + value;
            case REGEX -> "path-regex " + value;
            case ANY -> "any path";
        };
    }
}
