package io.gatehouse.plugins.router;

import java.util.ArrayList;
import java.util.List;

/**
 * Brings a request path to the one form the router matches on and forwards (RFC 3986 §6):
 * percent-encoded unreserved characters are decoded, remaining percent-encodings get upper-case
 * hex digits, dot-segments are resolved and runs of slashes are merged. Paths that could be read
 * two ways are refused instead: an encoded slash or backslash, an encoded NUL or control
 * character, a backslash, a character outside printable ASCII, a bad percent-encoding, or
 * {@code ..} climbing above the root.
 */
final class PathNormalizer {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathNormalizer() {
    }

    /**
     * @param path a request path in origin form (no query), such as {@code /a/./b%7e}
     * @return the normal form, such as {@code /a/b~}
     * @throws BadPathException when the path is refused; its message is safe to show a client
     */
    static String normalize(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new BadPathException("the path must start with /");
        }
        if (isPlain(path)) {
            return path;
        }
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        boolean trailingSlash = false;
        int i = 1;
        while (true) {
            int end = path.indexOf('/', i);
            int stop = end < 0 ? path.length() : end;
            segment.setLength(0);
            decodeSegment(path, i, stop, segment);
            String name = segment.toString();
            boolean last = end < 0;
            switch (name) {
                case "", "." -> trailingSlash = last;
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw new BadPathException("the path climbs above the root");
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
            if (i == path.length()) {
                trailingSlash = true;
                break;
            }
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

    /** The common case: nothing to decode, no dot-segment, no empty segment, nothing to refuse. */
    private static boolean isPlain(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '\\' || c <= 0x20 || c >= 0x7f) {
                return false;
            }
            if (c == '/' && previous == '/') {
                return false;
            }
            if (c == '.' && previous == '/') {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static void decodeSegment(String path, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw new BadPathException("bad percent-encoding in the path");
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadPathException("bad percent-encoding in the path");
                }
                int b = hi * 16 + lo;
                if (b == '/' || b == '\\') {
                    throw new BadPathException("encoded slash or backslash in the path");
                }
                if (b < 0x20 || b == 0x7f) {
                    throw new BadPathException("encoded control character in the path");
                }
                if (isUnreserved(b)) {
                    out.append((char) b);
                } else {
                    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
                }
                i += 2;
            } else if (c == '\\') {
                throw new BadPathException("backslash in the path");
            } else if (c <= 0x20 || c >= 0x7f) {
                throw new BadPathException("invalid character in the path");
            } else {
                out.append(c);
            }
        }
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }
}
