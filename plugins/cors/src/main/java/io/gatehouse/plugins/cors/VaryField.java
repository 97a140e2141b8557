package io.gatehouse.plugins.cors;

import io.gatehouse.api.MutableHttpFields;

import java.util.List;

/** Adds {@code Origin} to a response's {@code Vary}, merged into one field with what is there. */
final class VaryField {

    private VaryField() {
    }

    static void addOrigin(MutableHttpFields headers) {
        List<String> fields = headers.all("Vary");
        if (fields.isEmpty()) {
            headers.set("Vary", "Origin");
            return;
        }
        StringBuilder merged = new StringBuilder();
        for (String field : fields) {
            for (String part : field.split(",")) {
                String name = part.strip();
                if (name.equals("*") || name.equalsIgnoreCase("Origin")) {
                    return; // already varies on it (or on everything)
                }
                if (!name.isEmpty()) {
                    merged.append(merged.length() == 0 ? "" : ", ").append(name);
                }
            }
        }
        headers.set("Vary", merged.append(merged.length() == 0 ? "" : ", ").append("Origin").toString());
    }
}
