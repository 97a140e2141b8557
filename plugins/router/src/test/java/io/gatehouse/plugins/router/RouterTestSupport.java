package io.gatehouse.plugins.router;

import io.gatehouse.api.testkit.FilterHarness;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;

/** Builds router filters from YAML text, as it would appear under {@code config:}. */
final class RouterTestSupport {

    private RouterTestSupport() {
    }

    static Map<String, Object> yaml(String text) {
        Map<String, Object> map = new Yaml().load(text);
        return map;
    }

    static FilterHarness router(String configYaml) {
        return FilterHarness.of(new RouterFilterFactory(), yaml(configYaml));
    }
}
