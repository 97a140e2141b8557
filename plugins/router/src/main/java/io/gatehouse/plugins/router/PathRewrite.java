package io.gatehouse.plugins.router;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a route changes the path the origin sees: {@code strip-prefix} removes the matched
 * {@code path-prefix}, then {@code add-prefix} puts another in front; or {@code rewrite}
 * replaces the first match of a regular expression (with {@code $1}-style groups). The query is
 * kept either way.
 *
 * @param stripPrefix the prefix to remove, empty when none
 * @param addPrefix the prefix to add (no trailing slash), empty when none
 * @param pattern the rewrite's regular expression, or null
 * @param replacement the rewrite's replacement
 */
record PathRewrite(String stripPrefix, String addPrefix, Pattern pattern, String replacement) {

    static final PathRewrite NONE = new PathRewrite("", "", null, "");

    /** @return whether the path stays as it is */
    boolean isNone() {
        return stripPrefix.isEmpty() && addPrefix.isEmpty() && pattern == null;
    }

    /**
     * @param path the normalised request path
     * @return the path for the origin
     */
    String apply(String path) {
        if (pattern != null) {
            Matcher matcher = pattern.matcher(path);
            String result = matcher.replaceFirst(replacement);
            return result.startsWith("/") ? result : "/" + result;
        }
        String rest = path;
        if (!stripPrefix.isEmpty() && !stripPrefix.equals("/")) {
            rest = path.substring(stripPrefix.length());
            if (rest.isEmpty()) {
                rest = "/";
            }
        }
        return addPrefix.isEmpty() ? rest : addPrefix + rest;
    }

    @Override
    public String toString() {
        if (pattern != null) {
            return "rewrite " + pattern + " -> " + replacement;
        }
        return (stripPrefix.isEmpty() ? "" : "strip-prefix " + stripPrefix)
                + (!stripPrefix.isEmpty() && !addPrefix.isEmpty() ? ", " : "")
                + (addPrefix.isEmpty() ? "" : "add-prefix " + addPrefix);
    }
}
