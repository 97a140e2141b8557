package io.gatehouse.plugins.auth;

import java.util.Optional;

/** The {@code Authorization} field's form: {@code scheme SP credentials} (RFC 9110 §11.4). */
final class Schemes {

    private Schemes() {
    }

    /**
     * @param value the field value
     * @param scheme a scheme in lower case, such as {@code basic}
     * @return whether the value uses that scheme (compared case-insensitively)
     */
    static boolean is(String value, String scheme) {
        return value.length() > scheme.length() && value.regionMatches(true, 0, scheme, 0, scheme.length())
                && value.charAt(scheme.length()) == ' ';
    }

    /**
     * @param value the field value
     * @return the credentials after the scheme and its spaces, or empty when there are none
     */
    static Optional<String> credentials(String value) {
        int space = value.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        int start = space;
        while (start < value.length() && value.charAt(start) == ' ') {
            start++;
        }
        String credentials = value.substring(start);
        return credentials.isEmpty() || credentials.indexOf(' ') >= 0 ? Optional.empty() : Optional.of(credentials);
    }
}
