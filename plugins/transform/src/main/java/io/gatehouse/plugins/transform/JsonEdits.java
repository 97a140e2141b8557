package io.gatehouse.plugins.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.api.Exchange;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Edits of a JSON object body: fields removed, renamed, then set (with templated string values),
 * each named by a dotted path ({@code meta.source}); a path through something that is not an
 * object is left alone. The body is held whole, up to {@code maxSize}.
 *
 * @param maxSize the largest body edited
 * @param remove dotted paths removed
 * @param rename dotted path to its new name (the last segment; it stays in the same object)
 * @param set dotted path to a value (objects on the way are created)
 */
record JsonEdits(long maxSize, List<String> remove, Map<String, String> rename, Map<String, Template> set) {

    private static final ObjectMapper JSON = new ObjectMapper();

    JsonEdits {
        remove = List.copyOf(remove);
        rename = Map.copyOf(rename);
        set = Map.copyOf(set);
    }

    /**
     * @param body the body
     * @param exchange for the templates
     * @return the edited body, empty when it is not a JSON object
     */
    Optional<byte[]> apply(byte[] body, Exchange exchange) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!(tree instanceof ObjectNode root)) {
            return Optional.empty();
        }
        for (String path : remove) {
            parent(root, path, false).ifPresent(parent -> parent.remove(last(path)));
        }
        rename.forEach((path, name) -> parent(root, path, false).ifPresent(parent -> {
            JsonNode value = parent.remove(last(path));
            if (value != null) {
                parent.set(name, value);
            }
        }));
        set.forEach((path, value) -> parent(root, path, true).ifPresent(parent -> parent.put(last(path), value.render(exchange))));
        try {
            return Optional.of(JSON.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static Optional<ObjectNode> parent(ObjectNode root, String path, boolean create) {
        String[] segments = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < segments.length - 1; i++) {
            JsonNode child = node.get(segments[i]);
            if (child == null && create) {
                child = node.putObject(segments[i]);
            }
            if (!(child instanceof ObjectNode object)) {
                return Optional.empty();
            }
            node = object;
        }
        return Optional.of(node);
    }
}
