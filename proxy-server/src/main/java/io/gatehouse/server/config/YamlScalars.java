package io.gatehouse.server.config;

import io.gatehouse.api.ConfigException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.regex.Pattern;

/**
 * Refuses the unquoted values that YAML 1.1 (SnakeYAML, and so Commons Configuration) silently
 * turns into something else than was written: {@code on}, {@code off}, {@code yes}, {@code no}
 * and {@code y}/{@code n} into booleans, {@code 0x1F}, {@code 0755}, {@code 1_000} and {@code
 * 10:30} into other numbers. {@code response-value: on} would otherwise send {@code true}. Only
 * {@code true}/{@code false} and plainly written decimal numbers are taken as they are; anything
 * else that YAML would convert must be written as intended: quoted for text ({@code "on"}), or as
 * {@code true}/{@code false} or a decimal number. Quoted values are always text.
 */
final class YamlScalars {

    private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[-+]?[0-9]+\\.[0-9]+([eE][-+]?[0-9]+)?");

    private YamlScalars() {
    }

    /**
     * @param yaml a YAML document (already known to parse)
     * @param source the document's name, for a message about it as a whole
     * @throws ConfigException naming the key of the first value YAML would convert
     */
    static void checkWrittenAsMeant(String yaml, String source) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (RuntimeException e) {
            return; // not valid YAML: the reader says why
        }
        if (root != null) {
            check(root, "");
        }
    }

    private static void check(Node node, String path) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
                check(tuple.getValueNode(), path.isEmpty() ? key : path + "." + key);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                check(sequence.getValue().get(i), path + "[" + i + "]");
            }
        } else if (node instanceof ScalarNode scalar && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
            String text = scalar.getValue();
            Tag tag = scalar.getTag();
            if (Tag.BOOL.equals(tag) && !text.equals("true") && !text.equals("false")) {
                throw new ConfigException(path, "YAML 1.1 reads " + text + " as a boolean: write true or false, "
                        + "or quote it (\"" + text + "\") for the text");
            }
            if ((Tag.INT.equals(tag) && !DECIMAL_INT.matcher(text).matches())
                    || (Tag.FLOAT.equals(tag) && !DECIMAL_FLOAT.matcher(text).matches())) {
                throw new ConfigException(path, "YAML 1.1 reads " + text + " as another number than written: "
                        + "write it in decimal, or quote it (\"" + text + "\") for the text");
            }
        }
    }
}
