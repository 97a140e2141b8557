package io.gatehouse.plugins.cache;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheConfigTest {

    private static CacheConfig parse(String yaml) {
        Map<String, Object> map = yaml.isBlank() ? Map.of() : new Yaml().load(yaml);
        return new CacheFilterFactory().parseConfig(PluginConfig.of("filters[2].config", map));
    }

    @Test
    void defaultsAndTheSharedPercentRule() {
        CacheConfig defaults = parse("");
        assertThat(defaults.maxSize()).isEqualTo(256L << 20);
        assertThat(defaults.maxObjectSize()).isEqualTo(8L << 20);
        assertThat(defaults.heuristicPercent()).isEqualTo(10.0);
        assertThat(defaults.maxVariants()).isEqualTo(16);
        assertThat(parse("max-variants: 4").maxVariants()).isEqualTo(4);
        assertThat(parse("heuristic-percent: 12.5%").heuristicPercent()).isEqualTo(12.5);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            max-size: 0                                  | filters[2].config.max-size: must be at least 1B, got 0B
            { max-size: 1MiB, max-object-size: 2MiB }    | filters[2].config.max-object-size: must be at most max-size
            max-object-size: 3GiB                        | filters[2].config.max-object-size: must be between 1B and
            heuristic-percent: 150                       | filters[2].config.heuristic-percent: must be a percentage from 0 to 100
            max-variants: 0                              | filters[2].config.max-variants: must be between 1 and 1024, got 0
            """)
    void badConfigNamesTheKey(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
