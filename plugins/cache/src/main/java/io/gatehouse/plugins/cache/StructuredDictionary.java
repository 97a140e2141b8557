package io.gatehouse.plugins.cache;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict parser of Structured Field dictionaries (RFC 8941 §4.2.2), as targeted cache-control
 * fields are (RFC 9213 §2.1). A field that is not a valid dictionary is refused whole; member
 * parameters are checked and dropped. Repeated keys: the last wins.
 */
final class StructuredDictionary {

    /** The type of a member's value. */
    enum Type { INTEGER, DECIMAL, STRING, TOKEN, BYTES, TRUE, FALSE, INNER_LIST }

    /**
     * @param type its type
     * @param value its text: the number, the unescaped string, the token, the base64 or the list as sent
     */
    record Item(Type type, String value) {
    }

    private final String in;
    private int i;

    private StructuredDictionary(String in) {
        this.in = in;
    }

    /**
     * @param lines the field's lines, in order (combined with commas, §4.2)
     * @return the members in order, empty when the field is not a valid dictionary
     */
    static Optional<Map<String, Item>> parse(List<String> lines) {
        try {
            return Optional.of(new StructuredDictionary(String.join(",", lines)).dictionary());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Map<String, Item> dictionary() {
        Map<String, Item> members = new LinkedHashMap<>();
        skipSpaces();
        while (i < in.length()) {
            String key = key();
            Item item;
            if (peek() == '=') {
                i++;
                item = peek() == '(' ? innerList() : bareItem();
            } else {
                item = new Item(Type.TRUE, "?1");
            }
            parameters();
            members.remove(key); // the last wins, in its own place
            members.put(key, item);
            skipOws();
            if (i == in.length()) {
                break;
            }
            expect(',');
            skipOws();
            if (i == in.length()) {
                throw new IllegalArgumentException("trailing comma");
            }
        }
        return Collections.unmodifiableMap(members);
    }

    private Item innerList() {
        int start = i;
        expect('(');
        while (true) {
            while (peek() == ' ') {
                i++;
            }
            if (peek() == ')') {
                i++;
                parameters();
                return new Item(Type.INNER_LIST, in.substring(start, i));
            }
            bareItem();
            parameters();
            char c = peek();
            if (c != ' ' && c != ')') {
                throw new IllegalArgumentException("inner list");
            }
        }
    }

    private void parameters() {
        while (peek() == ';') {
            i++;
            skipSpaces();
            key();
            if (peek() == '=') {
                i++;
                bareItem();
            }
        }
    }

    private String key() {
        int start = i;
        char c = peek();
        if (!(c >= 'a' && c <= 'z') && c != '*') {
            throw new IllegalArgumentException("key");
        }
        while (i < in.length() && isKeyChar(in.charAt(i))) {
            i++;
        }
        return in.substring(start, i);
    }

    private Item bareItem() {
        char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == ':') {
            return bytes();
        }
        if (c == '?') {
            i++;
            char b = peek();
            i++;
            if (b == '1') {
                return new Item(Type.TRUE, "?1");
            }
            if (b == '0') {
                return new Item(Type.FALSE, "?0");
            }
            throw new IllegalArgumentException("boolean");
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*') {
            int start = i++;
            while (i < in.length() && (isTchar(in.charAt(i)) || in.charAt(i) == ':' || in.charAt(i) == '/')) {
                i++;
            }
            return new Item(Type.TOKEN, in.substring(start, i));
        }
        throw new IllegalArgumentException("item");
    }

    /** §4.2.4: at most 15 integer digits; a decimal at most 12 before and 1 to 3 after the point. */
    private Item number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        int digits = i;
        while (i < in.length() && in.charAt(i) >= '0' && in.charAt(i) <= '9') {
            i++;
        }
        int whole = i - digits;
        if (whole == 0) {
            throw new IllegalArgumentException("number");
        }
        if (peek() != '.') {
            if (whole > 15) {
                throw new IllegalArgumentException("integer too long");
            }
            return new Item(Type.INTEGER, in.substring(start, i));
        }
        i++;
        int fraction = i;
        while (i < in.length() && in.charAt(i) >= '0' && in.charAt(i) <= '9') {
            i++;
        }
        if (whole > 12 || i == fraction || i - fraction > 3) {
            throw new IllegalArgumentException("decimal");
        }
        return new Item(Type.DECIMAL, in.substring(start, i));
    }

    private Item string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (i < in.length()) {
            char c = in.charAt(i++);
            if (c == '\\') {
                char next = peek();
                if (next != '"' && next != '\\') {
                    throw new IllegalArgumentException("escape");
                }
                out.append(next);
                i++;
            } else if (c == '"') {
                return new Item(Type.STRING, out.toString());
            } else if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("string character");
            } else {
                out.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }

    private Item bytes() {
        expect(':');
        int start = i;
        while (i < in.length() && in.charAt(i) != ':') {
            char c = in.charAt(i++);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=')) {
                throw new IllegalArgumentException("base64");
            }
        }
        String base64 = in.substring(start, i);
        expect(':');
        Base64.getDecoder().decode(base64); // throws IllegalArgumentException when malformed
        return new Item(Type.BYTES, base64);
    }

    private char peek() {
        return i < in.length() ? in.charAt(i) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        i++;
    }

    private void skipSpaces() {
        while (peek() == ' ') {
            i++;
        }
    }

    private void skipOws() {
        while (peek() == ' ' || peek() == '\t') {
            i++;
        }
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*';
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
