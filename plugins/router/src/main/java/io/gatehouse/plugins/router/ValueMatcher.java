package io.gatehouse.plugins.router;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code headers} or {@code query} condition of a route: the named field must be present
 * ({@code "*"}), have exactly a value, or have a value the regular expression after {@code ~}
 * matches in full. A field sent more than once matches when any of its values does.
 *
 * @param name the field name
 * @param description the condition as written, for explanations
 */
record ValueMatcher(String name, String description, String exact, Pattern pattern) {

    /**
     * @param name field name
     * @param spec {@code *}, {@code ~regex} or an exact value
     * @return the matcher
     * @throws PatternSyntaxException when the regular expression is invalid
     */
    static ValueMatcher parse(String name, String spec) {
        String description = name + ": " + spec;
        if (spec.equals("*")) {
            return new ValueMatcher(name, description, null, null);
        }
        if (spec.startsWith("~")) {
            return new ValueMatcher(name, description, null, Pattern.compile(spec.substring(1)));
        }
        return new ValueMatcher(name, description, spec, null);
    }

    /**
     * @param values every value the request has for the field, empty when absent
     * @return whether the condition holds
     */
    boolean matches(List<String> values) {
        if (values.isEmpty()) {
            return false;
        }
        if (exact == null && pattern == null) {
            return true;
        }
        for (String value : values) {
            if (exact != null ? exact.equals(value) : pattern.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }
}
