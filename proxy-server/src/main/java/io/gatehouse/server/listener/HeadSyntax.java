package io.gatehouse.server.listener;

import org.apache.hc.core5.net.InetAddressUtils;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * The grammar of HTTP/1.1 head lines, strictly (RFC 9112 §3 and §5, RFC 9110 §5.1, §5.5,
 * §5.6.2 and §7.2). Each check answers with a fixed description of the problem, never with the client's
 * bytes, or null when the line is valid. Lines arrive without their CRLF; bare CR, bare LF and
 * NUL are the line reader's business.
 */
final class HeadSyntax {

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HeadSyntax() {
    }

    /** @return whether {@code c} is a {@code tchar} (RFC 9110 §5.6.2) */
    static boolean isTchar(char c) {
        return c < 128 && TCHAR[c];
    }

    /** @return whether {@code text} is a {@code token}: one or more {@code tchar} */
    static boolean isToken(CharSequence text) {
        if (text.length() == 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTchar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** @return whether {@code c} is a control character other than HTAB, which no field value may hold */
    static boolean isForbiddenInValue(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }

    /**
     * {@code request-line = method SP request-target SP HTTP-version}, with single spaces and
     * nothing else around them (RFC 9112 §3: lenient splitting on other whitespace is what lets
     * two parsers disagree). The method and target themselves are checked by {@link RequestTargets}.
     *
     * @param line the request line
     * @return the problem, or null
     */
    static String requestLineViolation(CharArrayBuffer line) {
        int length = line.length();
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in the request line";
            }
        }
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1, length);
        if (first <= 0 || second <= first + 1 || line.indexOf(' ', second + 1, length) >= 0) {
            return "malformed request line";
        }
        return isVersion(line, second + 1) ? null : "malformed HTTP version";
    }

    /** {@code HTTP-version = "HTTP" "/" DIGIT "." DIGIT}, case-sensitive. */
    private static boolean isVersion(CharArrayBuffer line, int from) {
        if (line.length() - from != 8) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            if (line.charAt(from + i) != "HTTP/".charAt(i)) {
                return false;
            }
        }
        return isDigit(line.charAt(from + 5)) && line.charAt(from + 6) == '.' && isDigit(line.charAt(from + 7));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * {@code Host = uri-host [ ":" port ]} (RFC 9110 §7.2, RFC 3986 §3.2.2): an IPv6 literal in
     * brackets, or a host name or IPv4 address, and a port of at most 65535. Empty is allowed (a
     * target without authority). Stricter than the URI grammar's reg-name, which also allows
     * sub-delims and percent-encodings: a name is letters, digits, {@code -}, {@code .} and
     * {@code _} only (what DNS and hosts files hold), so {@code a,b}, {@code a;b} or {@code
     * vict%69m}, which origins and caches read in different ways, never pass. User info,
     * IPvFuture and IPv6 zone identifiers are refused too.
     *
     * @param value the field value, without surrounding whitespace
     * @return whether it is a valid {@code Host}
     */
    static boolean isHost(String value) {
        if (value.isEmpty()) {
            return true;
        }
        int portColon;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0 || !InetAddressUtils.isIPv6(value.substring(1, close))) {
                return false;
            }
            portColon = close + 1;
        } else {
            portColon = value.indexOf(':');
            portColon = portColon < 0 ? value.length() : portColon;
            if (portColon == 0 || !isRegName(value, portColon)) {
                return false;
            }
        }
        if (portColon == value.length()) {
            return true;
        }
        if (value.charAt(portColon) != ':') {
            return false;
        }
        String port = value.substring(portColon + 1);
        if (port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (!isDigit(port.charAt(i))) {
                return false;
            }
        }
        return port.isEmpty() || Integer.parseInt(port) <= 65535;
    }

    private static boolean isRegName(String value, int end) {
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (!(isAlphaNumeric(c) || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphaNumeric(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * {@code field-line = field-name ":" OWS field-value OWS}: the name a token, with nothing
     * between it and the colon; the value without control characters but HTAB (obs-text, bytes
     * 0x80–0xFF, is allowed as opaque data).
     *
     * @param line a header or trailer line, not a continuation line
     * @return the problem, or null
     */
    static String fieldLineViolation(CharArrayBuffer line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return "header line without a colon";
        }
        if (colon == 0) {
            return "empty header name";
        }
        for (int i = 0; i < colon; i++) {
            if (!isTchar(line.charAt(i))) {
                return "invalid character in a header name";
            }
        }
        for (int i = colon + 1; i < line.length(); i++) {
            if (isForbiddenInValue(line.charAt(i))) {
                return "control character in a header value";
            }
        }
        return null;
    }
}
