package io.gatehouse.api.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code Set-Cookie} response field value (RFC 6265 §4.1), built from an immutable value:
 * every method returns a new instance, so a template made at start-up can be shared by all
 * exchanges and given each response's value.
 *
 * <pre>{@code
 * // at start-up
 * SetCookie sticky = SetCookie.of("side", "").path("/").maxAge(Duration.ofHours(1)).httpOnly(true)
 *         .sameSite(SetCookie.SameSite.LAX);
 * // per response
 * response.headers().add(SetCookie.HEADER, sticky.withValue("blue").headerValue());
 * // side=blue; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax
 * }</pre>
 *
 * <p>Browsers drop {@code SameSite=None} without {@code Secure}; this class writes what it is
 * given.
 *
 * @since 0.2
 */
public final class SetCookie {

    /** The response field's name. */
    public static final String HEADER = "Set-Cookie";

    /** The {@code SameSite} attribute's values. */
    public enum SameSite {
        /** {@code SameSite=Strict} */
        STRICT("Strict"),
        /** {@code SameSite=Lax} */
        LAX("Lax"),
        /** {@code SameSite=None} (needs {@code Secure} in browsers) */
        NONE("None");

        private final String attribute;

        SameSite(String attribute) {
            this.attribute = attribute;
        }

        /** @return the attribute's value as written, e.g. {@code Lax} */
        public String attribute() {
            return attribute;
        }
    }

    private final String name;
    private final String value;
    private final Optional<String> path;
    private final Optional<Duration> maxAge;
    private final boolean secure;
    private final boolean httpOnly;
    private final Optional<SameSite> sameSite;
    /** Everything after the value, written once. */
    private final String attributes;

    private SetCookie(String name, String value, Optional<String> path, Optional<Duration> maxAge, boolean secure,
                      boolean httpOnly, Optional<SameSite> sameSite) {
        this.name = name;
        this.value = value;
        this.path = path;
        this.maxAge = maxAge;
        this.secure = secure;
        this.httpOnly = httpOnly;
        this.sameSite = sameSite;
        StringBuilder text = new StringBuilder();
        path.ifPresent(p -> text.append("; Path=").append(p));
        maxAge.ifPresent(age -> text.append("; Max-Age=").append(age.toSeconds()));
        if (secure) {
            text.append("; Secure");
        }
        if (httpOnly) {
            text.append("; HttpOnly");
        }
        sameSite.ifPresent(s -> text.append("; SameSite=").append(s.attribute()));
        this.attributes = text.toString();
    }

    /**
     * A cookie without attributes.
     *
     * @param name a token (RFC 9110 §5.6.2)
     * @param value cookie octets: printable ASCII without space, {@code " , ; \}; may be empty
     * @return the cookie
     * @throws IllegalArgumentException when the name or value is not allowed
     */
    public static SetCookie of(String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("a cookie name must be a token: \"" + name + "\"");
        }
        return new SetCookie(name, checkValue(value), Optional.empty(), Optional.empty(), false, false, Optional.empty());
    }

    /**
     * @param value the new value (as in {@link #of})
     * @return this cookie with another value
     */
    public SetCookie withValue(String value) {
        return new SetCookie(name, checkValue(value), path, maxAge, secure, httpOnly, sameSite);
    }

    /**
     * @param path the {@code Path} attribute, starting with {@code /}
     * @return this cookie with the path
     */
    public SetCookie path(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c < 0x20 || c >= 0x7f || c == ';')) {
            throw new IllegalArgumentException("a cookie path starts with / and has no ; or control characters: \"" + path + "\"");
        }
        return new SetCookie(name, value, Optional.of(path), maxAge, secure, httpOnly, sameSite);
    }

    /**
     * @param maxAge the {@code Max-Age} attribute, in whole seconds; zero deletes the cookie
     * @return this cookie with the lifetime (without one, it is a session cookie)
     */
    public SetCookie maxAge(Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("max-age must not be negative: " + maxAge);
        }
        return new SetCookie(name, value, path, Optional.of(maxAge), secure, httpOnly, sameSite);
    }

    /**
     * @param secure whether to write the {@code Secure} attribute (sent over HTTPS only)
     * @return this cookie with the flag
     */
    public SetCookie secure(boolean secure) {
        return new SetCookie(name, value, path, maxAge, secure, httpOnly, sameSite);
    }

    /**
     * @param httpOnly whether to write the {@code HttpOnly} attribute (hidden from scripts)
     * @return this cookie with the flag
     */
    public SetCookie httpOnly(boolean httpOnly) {
        return new SetCookie(name, value, path, maxAge, secure, httpOnly, sameSite);
    }

    /**
     * @param sameSite the {@code SameSite} attribute
     * @return this cookie with the attribute
     */
    public SetCookie sameSite(SameSite sameSite) {
        return new SetCookie(name, value, path, maxAge, secure, httpOnly, Optional.of(sameSite));
    }

    /** @return the cookie's name */
    public String name() {
        return name;
    }

    /** @return the cookie's value */
    public String value() {
        return value;
    }

    /** @return the {@code Path} attribute, or empty */
    public Optional<String> path() {
        return path;
    }

    /** @return the {@code Max-Age} attribute, or empty for a session cookie */
    public Optional<Duration> maxAge() {
        return maxAge;
    }

    /** @return whether {@code Secure} is written */
    public boolean secure() {
        return secure;
    }

    /** @return whether {@code HttpOnly} is written */
    public boolean httpOnly() {
        return httpOnly;
    }

    /** @return the {@code SameSite} attribute, or empty */
    public Optional<SameSite> sameSite() {
        return sameSite;
    }

    /**
     * @return the field value, e.g. {@code side=blue; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax}
     */
    public String headerValue() {
        return name + "=" + value + attributes;
    }

    @Override
    public String toString() {
        return headerValue();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SetCookie that && headerValue().equals(that.headerValue());
    }

    @Override
    public int hashCode() {
        return headerValue().hashCode();
    }

    private static String checkValue(String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                throw new IllegalArgumentException("a cookie value must not hold spaces, quotes, commas, semicolons, "
                        + "backslashes or control characters: \"" + value + "\"");
            }
        }
        return value;
    }

    /**
     * @param text a name
     * @return whether it is a token (RFC 9110 §5.6.2), as cookie names and field names must be
     */
    static boolean isToken(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
