package io.gatehouse.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Brings a request path to its one normal form, the form in which the server matches
 * {@code when:} conditions, filters see it ({@link io.gatehouse.api.RequestHead#path()}) and the
 * origin receives it. The server applies it once to every request target before any filter runs;
 * plugins use it for paths from their configuration and for targets they build themselves.
 *
 * <p>The rule, applied to the path (the target up to the first {@code ?}; the query is never
 * changed):
 * <ol>
 *   <li>The path is split into segments at each {@code /} (an encoded {@code %2F} never splits).</li>
 *   <li>Path parameters are removed: from a {@code ;} to the end of its segment
 *       ({@code /admin;x} is {@code /admin}, {@code /a/..;x/b} is {@code /b}), as servlet
 *       containers do before they map a path. An encoded {@code %3B} is not a parameter.</li>
 *   <li>Percent-encodings are checked (two hex digits), percent-encoded unreserved characters
 *       ({@code A-Z a-z 0-9 - . _ ~}) are decoded, and the others get upper-case hex digits
 *       ({@code %61dmin} is {@code admin}, {@code %c3%a9} is {@code %C3%A9}; RFC 3986 §6.2.2).
 *       Nothing is decoded twice: {@code %252e} stays.</li>
 *   <li>The dot-segments {@code .} and {@code ..} are resolved (RFC 3986 §5.2.4), also when
 *       encoded ({@code %2e%2e}), and empty segments are dropped, so runs of slashes merge
 *       ({@code //admin}, {@code /x/../admin} and {@code /./admin} are {@code /admin}). A path
 *       that ended in {@code /}, {@code /.} or {@code /..} keeps one trailing slash.</li>
 * </ol>
 * A path that could be read two ways is refused instead, with an {@link
 * IllegalArgumentException} whose message is fixed text, safe to show a client (the server
 * answers {@code 400 Bad Request: <message>}):
 * <ul>
 *   <li>{@code the path climbs above the root}: a {@code ..} with no segment left to remove
 *       ({@code /../etc}, {@code /a/%2e%2e/..});</li>
 *   <li>{@code bad percent-encoding in the path}: a {@code %} not followed by two hex digits;</li>
 *   <li>{@code encoded slash or backslash in the path}: {@code %2F} or {@code %5C};</li>
 *   <li>{@code encoded control character in the path}: {@code %00} to {@code %1F} and {@code %7F};</li>
 *   <li>{@code invalid character in the path}: a backslash, a {@code #}, a space, a control
 *       character or a character outside ASCII;</li>
 *   <li>{@code the path must start with /}.</li>
 * </ul>
 * Normalising is idempotent. A path with nothing to change (no {@code %}, {@code ;},
 * {@code //} and no segment starting with a dot) comes back as the same string, without
 * allocating. Case is kept: paths are case-sensitive.
 *
 * <pre>{@code
 * PathNormalizer.normalize("/public/%2e%2e//%61dmin;x/")   // "/admin/"
 * PathNormalizer.normalizeTarget("/a/./b?q=%2e")           // "/a/b?q=%2e"
 * }</pre>
 *
 * @since 0.2
 */
public final class PathNormalizer {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathNormalizer() {
    }

    /**
     * @param path a path without query, such as {@code /a/./b%7e}
     * @return its normal form, such as {@code /a/b~}
     * @throws IllegalArgumentException when the path is refused (see the class description); its
     *     message is fixed text, safe to show a client
     */
    public static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new IllegalArgumentException("the path must start with /");
        }
        if (isNormal(path)) {
            return path;
        }
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        boolean trailingSlash = false;
        int i = 1;
        while (true) {
            int end = path.indexOf('/', i);
            boolean last = end < 0;
            int stop = last ? path.length() : end;
            int parameters = path.indexOf(';', i);
            segment.setLength(0);
            decodeSegment(path, i, parameters >= 0 && parameters < stop ? parameters : stop, segment);
            checkCharacters(path, i, stop);
            String name = segment.toString();
            switch (name) {
                case "", "." -> trailingSlash = last;
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw new IllegalArgumentException("the path climbs above the root");
                    }
                    segments.remove(segments.size() - 1);
                    trailingSlash = last;
                }
                default -> {
                    segments.add(name);
                    trailingSlash = false;
                }
            }
            if (last) {
                break;
            }
            i = end + 1;
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String s : segments) {
            out.append('/').append(s);
        }
        if (trailingSlash) {
            out.append('/');
        }
        return out.toString();
    }

    /**
     * Normalises the path of an origin-form target and keeps its query byte for byte. The
     * asterisk-form {@code *} (of {@code OPTIONS *}) comes back as it is.
     *
     * @param target an origin-form target, such as {@code /a/../b?x=%2e}
     * @return the target with its path normalised, such as {@code /b?x=%2e}
     * @throws IllegalArgumentException when the path is refused ({@link #normalize})
     */
    public static String normalizeTarget(String target) {
        Objects.requireNonNull(target, "target");
        if (target.equals("*")) {
            return target;
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String normal = normalize(path);
        if (normal.equals(path)) {
            return target;
        }
        return q < 0 ? normal : normal + target.substring(q);
    }

    /** Whether the path is normal as it is: nothing to decode, remove, merge or refuse. */
    private static boolean isNormal(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == ';' || c == '\\' || c == '#' || c <= 0x20 || c >= 0x7f) {
                return false;
            }
            if (previous == '/' && (c == '/' || c == '.')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** Refuses characters that no spelling of a path may hold, also inside removed parameters. */
    private static void checkCharacters(String path, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c == '\\' || c == '#' || c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("invalid character in the path");
            }
        }
    }

    private static void decodeSegment(String path, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int hi = i + 2 < to ? hex(path.charAt(i + 1)) : -1;
            int lo = i + 2 < to ? hex(path.charAt(i + 2)) : -1;
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad percent-encoding in the path");
            }
            int b = hi * 16 + lo;
            if (b == '/' || b == '\\') {
                throw new IllegalArgumentException("encoded slash or backslash in the path");
            }
            if (b < 0x20 || b == 0x7f) {
                throw new IllegalArgumentException("encoded control character in the path");
            }
            if (isUnreserved(b)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
            i += 2;
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }
}
