package io.gatehouse.api;

import java.util.List;

/** Immutable fields: a snapshot with no mutators at all. */
final class FrozenFields extends FieldEntries {

    static final HttpFields EMPTY = new FrozenFields(List.of());

    private final List<String> entries;

    FrozenFields(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    @Override
    List<String> entries() {
        return entries;
    }
}
