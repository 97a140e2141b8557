package io.gatehouse.server.config;

import io.gatehouse.api.ConfigException;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document with Commons Configuration 2 into plain maps (string keys, in order),
 * lists and scalars, the shape {@link io.gatehouse.api.PluginConfig} reads.
 */
final class YamlTree {

    private YamlTree() {
    }

    /**
     * @param yaml the document
     * @param source its name, for messages
     * @return its top-level mapping, empty for an empty document
     * @throws ConfigException naming the source (or the key) when it is not valid YAML, not a
     *     mapping, a key is not a string, or a scalar is written ambiguously ({@link YamlScalars})
     */
    static Map<String, Object> read(String yaml, String source) {
        YAMLConfiguration configuration = new YAMLConfiguration();
        try (Reader reader = new StringReader(yaml)) {
            configuration.read(reader);
        } catch (ConfigurationException | IOException | RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ClassCastException) {
                    throw nonStringKey(yaml, source);
                }
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ").trim();
            throw new ConfigException(source, "not valid YAML: " + message);
        }
        YamlScalars.checkWrittenAsMeant(yaml, source);
        Object tree = toJava(configuration.getNodeModel().getNodeHandler().getRootNode());
        if (tree == null) {
            return Map.of();
        }
        if (!(tree instanceof Map)) {
            throw new ConfigException(source, "expected a YAML mapping at the top level");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        return map;
    }

    /**
     * YAML 1.1 reads unquoted {@code on}, {@code off}, {@code yes}, {@code no}, {@code true},
     * {@code false} and numbers as non-strings, also as keys, which Commons Configuration cannot
     * take: find the first such key and name it.
     */
    private static ConfigException nonStringKey(String yaml, String source) {
        Object tree;
        try {
            tree = new org.yaml.snakeyaml.Yaml().load(yaml);
        } catch (RuntimeException e) {
            return new ConfigException(source, "not valid YAML: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim());
        }
        String path = firstNonStringKey(tree, "");
        return new ConfigException(path.isEmpty() ? source : path, "a key that YAML reads as "
                + "a boolean or number (on, off, yes, no, true, false, 1...): quote it, e.g. \"on\":");
    }

    private static String firstNonStringKey(Object node, String path) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    return (path.isEmpty() ? "" : path + ".") + entry.getKey();
                }
                String found = firstNonStringKey(entry.getValue(), (path.isEmpty() ? "" : path + ".") + entry.getKey());
                if (!found.isEmpty()) {
                    return found;
                }
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String found = firstNonStringKey(list.get(i), path + "[" + i + "]");
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return "";
    }

    /** Converts a Commons Configuration node to plain maps, lists and scalars; repeated names become lists. */
    private static Object toJava(ImmutableNode node) {
        if (node.getChildren().isEmpty()) {
            return node.getValue();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (ImmutableNode child : node.getChildren()) {
            Object value = toJava(child);
            if (map.containsKey(child.getNodeName())) {
                Object existing = map.get(child.getNodeName());
                List<Object> list;
                if (existing instanceof RepeatedValues) {
                    list = (RepeatedValues) existing;
                } else {
                    list = new RepeatedValues();
                    list.add(existing);
                    map.put(child.getNodeName(), list);
                }
                list.add(value);
            } else {
                map.put(child.getNodeName(), value);
            }
        }
        return map;
    }

    /** Marks a list built from repeated nodes, as opposed to a list value. */
    private static final class RepeatedValues extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }
}
