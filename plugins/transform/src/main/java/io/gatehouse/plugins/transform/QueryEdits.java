package io.gatehouse.plugins.transform;

import io.gatehouse.api.Exchange;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Query edits: parameters removed, then set (replacing every occurrence) with templated values,
 * which are percent-encoded. Parameters not named keep their exact bytes and order.
 *
 * @param remove parameter names removed
 * @param set parameters set
 */
record QueryEdits(List<String> remove, Map<String, Template> set) {

    static final QueryEdits NONE = new QueryEdits(List.of(), Map.of());

    QueryEdits {
        remove = List.copyOf(remove);
        set = Map.copyOf(set);
    }

    boolean isEmpty() {
        return remove.isEmpty() && set.isEmpty();
    }

    /** @return the target with the edited query */
    String apply(String target, Exchange exchange) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        List<String> pairs = new ArrayList<>();
        if (q >= 0 && q + 1 < target.length()) {
            for (String pair : target.substring(q + 1).split("&")) {
                String name = name(pair);
                if (!pair.isEmpty() && !remove.contains(name) && !set.containsKey(name)) {
                    pairs.add(pair);
                }
            }
        }
        set.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value.render(exchange))));
        return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
    }

    private static String name(String pair) {
        int equals = pair.indexOf('=');
        return equals < 0 ? pair : pair.substring(0, equals);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return the raw value of the first parameter {@code name} in {@code query} */
    static Optional<String> parameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (name(pair).equals(name)) {
                int equals = pair.indexOf('=');
                return Optional.of(equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        return Optional.empty();
    }
}
