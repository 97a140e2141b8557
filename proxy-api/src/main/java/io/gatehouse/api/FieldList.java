package io.gatehouse.api;

import java.util.ArrayList;
import java.util.List;

/** The mutable {@link MutableHttpFields} of the API; {@link #toImmutable()} gives a {@link FrozenFields}. */
final class FieldList extends FieldEntries implements MutableHttpFields {

    private final List<String> entries = new ArrayList<>();

    @Override
    List<String> entries() {
        return entries;
    }

    @Override
    public void add(String name, String value) {
        requireToken(name);
        requireValue(value);
        entries.add(name);
        entries.add(value);
    }

    @Override
    public void set(String name, String value) {
        requireToken(name);
        requireValue(value);
        remove(name);
        add(name, value);
    }

    @Override
    public boolean remove(String name) {
        boolean removed = false;
        for (int i = entries.size() - 2; i >= 0; i -= 2) {
            if (entries.get(i).equalsIgnoreCase(name)) {
                entries.remove(i + 1);
                entries.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    @Override
    public HttpFields toImmutable() {
        return new FrozenFields(entries);
    }
}
