package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The watched file of a {@code canary} filter: YAML with a {@code splits:} list, in the same form
 * as in the main config. SnakeYAML is the plugin's own dependency (bundled in its archive).
 */
final class SplitFile {

    private SplitFile() {
    }

    static List<Split> read(Path file) {
        Object tree;
        try {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file.toString(), "cannot read the splits: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new ConfigException(file.toString(), "expected a mapping with splits:");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> values = (Map<String, ?>) map;
        PluginConfig config = PluginConfig.of(file.toString(), values);
        config.requireKnownKeys(java.util.Set.of("splits"));
        return SplitParser.splits(config);
    }
}
