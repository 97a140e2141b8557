package io.gatehouse.server.admin;

import java.util.Locale;

/**
 * A small writer of JSON text, for the admin listener's own documents. Commas are placed from the
 * last character written; strings are escaped so that the text is also safe inside HTML
 * ({@code <}, {@code >}, {@code &} and the line separators as {@code \}{@code uXXXX}). Numbers
 * that are not finite are written as {@code null}. Not thread-safe.
 */
final class JsonText {

    private final StringBuilder out = new StringBuilder(4096);

    JsonText beginObject() {
        separate();
        out.append('{');
        return this;
    }

    JsonText endObject() {
        out.append('}');
        return this;
    }

    JsonText beginArray() {
        separate();
        out.append('[');
        return this;
    }

    JsonText endArray() {
        out.append(']');
        return this;
    }

    /** Writes a member name; its value follows. */
    JsonText name(String name) {
        separate();
        string(name);
        out.append(':');
        return this;
    }

    JsonText value(String value) {
        separate();
        string(value);
        return this;
    }

    JsonText value(long value) {
        separate();
        out.append(value);
        return this;
    }

    JsonText value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /** Writes a number with at most three decimals, or {@code null} when it is not finite. */
    JsonText value(double value) {
        separate();
        if (!Double.isFinite(value)) {
            out.append("null");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(String.format(Locale.ROOT, "%.3f", value));
        }
        return this;
    }

    JsonText member(String name, String value) {
        return name(name).value(value);
    }

    JsonText member(String name, long value) {
        return name(name).value(value);
    }

    JsonText member(String name, double value) {
        return name(name).value(value);
    }

    JsonText member(String name, boolean value) {
        return name(name).value(value);
    }

    private void separate() {
        if (out.isEmpty()) {
            return;
        }
        char last = out.charAt(out.length() - 1);
        if (last != '{' && last != '[' && last != ':') {
            out.append(',');
        }
    }

    private void string(String value) {
        Json.string(value, out);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
