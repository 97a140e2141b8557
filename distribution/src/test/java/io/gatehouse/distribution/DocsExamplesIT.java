package io.gatehouse.distribution;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.GatehouseConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every YAML example in {@code docs/} and the README that is a Gatehouse configuration (a mapping
 * whose keys are among {@code server}, {@code admin}, {@code plugins}, {@code filters}, {@code
 * demo}) is loaded as the server would load it, with the bundled plugins of this distribution,
 * and its chain is built and asked to explain a request: so a documented key, value or filter
 * config cannot drift from what the server accepts. Fragments (a splits file, one route) are not
 * configurations and are skipped; a block after a line {@code <!-- docs-test: skip -->} is too
 * (an example of a mistake, say).
 */
class DocsExamplesIT {

    private static final Path HOME = Path.of(System.getProperty("gatehouse.home", "target/gatehouse-unknown"));
    private static final Set<String> ROOT_KEYS = Set.of("server", "admin", "plugins", "filters", "demo", "reload");

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> everyConfigurationExampleLoadsAndExplains() throws IOException {
        List<DocsBlocks.Block> examples = new ArrayList<>();
        for (Path file : DocsBlocks.pages()) {
            DocsBlocks.of(file, "yaml").stream().filter(block -> !block.skipped() && isConfiguration(block.text())).forEach(examples::add);
        }
        assertThat(examples).as("configuration examples found").hasSizeGreaterThanOrEqualTo(10);
        return examples.stream().map(example -> DynamicTest.dynamicTest(example.toString(), () -> check(example)));
    }

    private static boolean isConfiguration(String yaml) {
        Object tree;
        try {
            tree = new Yaml().load(yaml);
        } catch (RuntimeException e) {
            return true; // not even YAML: let the check say so
        }
        return tree instanceof Map<?, ?> map && !map.isEmpty() && ROOT_KEYS.containsAll(map.keySet());
    }

    private static void check(DocsBlocks.Block example) throws IOException {
        Path config = dir.resolve("example-" + example.line() + "-" + example.file().getFileName() + ".yaml");
        Files.writeString(config, example.text());
        GatehouseConfig loaded = new ConfigLoader(HOME).load(config);
        // the examples' plugin directories are the installation's: use this distribution's
        GatehouseConfig withPlugins = new GatehouseConfig(loaded.listen(), loaded.upstream(), loaded.timeouts(), loaded.limits(),
                loaded.forwarding(), loaded.ioThreads(), loaded.upstreamPool(), loaded.adminListen(), loaded.adminAllowedHosts(),
                HOME.resolve("plugins"), dir.resolve("work"), loaded.demoListen(), loaded.filters());

        List<String> explained = GatehouseServer.explain(withPlugins, List.of(), "GET", "http://example.com/", List.of());

        assertThat(explained).as(example + " explains a request").isNotEmpty();
    }
}
