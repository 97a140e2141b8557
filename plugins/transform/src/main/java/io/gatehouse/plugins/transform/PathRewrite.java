package io.gatehouse.plugins.transform;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path rewrite: when the regex matches the whole path, the path becomes the replacement
 * ({@code $1} for groups), which must start with {@code /}; the query is kept.
 *
 * @param pattern compiled at start-up
 * @param replacement with group references
 */
record PathRewrite(Pattern pattern, String replacement) {

    /** @return the new target, or the same when the path does not match */
    String apply(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Matcher matcher = pattern.matcher(path);
        if (!matcher.matches()) {
            return target;
        }
        String rewritten = matcher.replaceFirst(replacement);
        if (!rewritten.startsWith("/")) {
            rewritten = "/" + rewritten;
        }
        return q < 0 ? rewritten : rewritten + target.substring(q);
    }
}
