package io.gatehouse.plugins.transform;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.MutableHttpFields;

import java.util.List;
import java.util.Map;

/**
 * Header edits with templated values: remove first, then set (replace), then add.
 *
 * @param remove names removed
 * @param set names set to one value each
 * @param add values added beside those present
 */
record HeaderEdits(List<String> remove, Map<String, Template> set, Map<String, Template> add) {

    static final HeaderEdits NONE = new HeaderEdits(List.of(), Map.of(), Map.of());

    HeaderEdits {
        remove = List.copyOf(remove);
        set = Map.copyOf(set);
        add = Map.copyOf(add);
    }

    boolean isEmpty() {
        return remove.isEmpty() && set.isEmpty() && add.isEmpty();
    }

    void apply(MutableHttpFields fields, Exchange exchange) {
        for (String name : remove) {
            fields.remove(name);
        }
        set.forEach((name, value) -> fields.set(name, value.render(exchange)));
        add.forEach((name, value) -> fields.add(name, value.render(exchange)));
    }
}
