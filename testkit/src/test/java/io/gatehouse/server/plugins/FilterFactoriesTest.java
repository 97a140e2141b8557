package io.gatehouse.server.plugins;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.testing.PluginArchives;
import io.gatehouse.server.testing.plugin.SampleFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading plugin archives with PF4J, and the clear start-up errors for bad ones. */
class FilterFactoriesTest {

    private static final String COMPATIBLE = ">=0.2.0 & <0.3.0";

    @Test
    void pluginArchiveIsLoadedInItsOwnClassLoader(@TempDir Path dir) {
        PluginArchives.write(dir.resolve("sample.zip"), "sample", COMPATIBLE, SampleFilterFactory.class, false);

        try (FilterFactories factories = FilterFactories.load(dir, List.of())) {
            ProxyFilterFactory<?> factory = factories.find("sample").orElseThrow();

            assertThat(factories.types()).containsExactly("sample");
            assertThat(factory.getClass()).isNotSameAs(SampleFilterFactory.class);
            assertThat(factory.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
        }
    }

    @Test
    void loadedPluginFiltersRequests(@TempDir Path dir) {
        PluginArchives.write(dir.resolve("sample.zip"), "sample", COMPATIBLE, SampleFilterFactory.class, false);
        try (TestOrigin origin = TestOrigin.start(request -> Reply.ok("sample=" + request.header("X-Sample").orElse("-")));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("plugins: { directory: \"" + dir + "\" }\n"
                             + "filters: [ { type: sample, config: { value: from-plugin } } ]\n").start()) {
            assertThat(proxy.get("/").body()).isEqualTo("sample=from-plugin");
        }
    }

    @Test
    void pluginBundlingTheApiIsRefused(@TempDir Path dir) {
        Path archive = PluginArchives.write(dir.resolve("bundles-api.zip"), "bad", COMPATIBLE, SampleFilterFactory.class, true);

        assertThatThrownBy(() -> FilterFactories.load(dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(archive.toString())
                .hasMessageContaining("bundles its own copy of the Gatehouse API");
    }

    @Test
    void pluginForAnotherApiVersionIsRefused(@TempDir Path dir) {
        Path archive = PluginArchives.write(dir.resolve("future.zip"), "future", ">=9.0.0", SampleFilterFactory.class, false);

        assertThatThrownBy(() -> FilterFactories.load(dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(archive.toString())
                .hasMessageContaining("requires Gatehouse API >=9.0.0, this server provides 0.2.0");
    }

    @Test
    void brokenArchiveIsRefused(@TempDir Path dir) throws Exception {
        Path archive = Files.write(dir.resolve("broken.zip"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});

        assertThatThrownBy(() -> FilterFactories.load(dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(archive.toString());
    }

    @Test
    void archiveWithoutDescriptorIsRefused(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("empty.zip");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(archive))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
            zip.closeEntry();
        }

        assertThatThrownBy(() -> FilterFactories.load(dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(archive.toString());
    }

    @Test
    void thePlainJarOfAPluginProjectIsRefusedWithWhatToCopyInstead(@TempDir Path dir) {
        Path jar = PluginArchives.writePlainJar(dir.resolve("my-filter-1.0-SNAPSHOT.jar"), SampleFilterFactory.class,
                "my-filter", "1.0-SNAPSHOT");

        assertThatThrownBy(() -> FilterFactories.load(dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(jar + ": not a Gatehouse plugin archive (no Plugin-Id in its manifest): "
                        + "copy target/my-filter-1.0-SNAPSHOT-plugin.zip from the plugin's build instead of its plain jar");
    }

    @Test
    void aJarWithoutPluginIdOrMavenDescriptorIsRefusedWithTheArchivePattern(@TempDir Path dir) {
        Path jar = PluginArchives.writePlainJar(dir.resolve("x.jar"), SampleFilterFactory.class, "", "");

        assertThatThrownBy(() -> FilterFactories.load(dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(jar + ": not a Gatehouse plugin archive (no Plugin-Id in its manifest): "
                        + "copy target/*-plugin.zip from the plugin's build instead of its plain jar");
    }

    @Test
    void twoFactoriesForOneTypeAreRefused(@TempDir Path dir) {
        PluginArchives.write(dir.resolve("sample.zip"), "sample", COMPATIBLE, SampleFilterFactory.class, false);

        assertThatThrownBy(() -> FilterFactories.load(dir, List.of(new SampleFilterFactory())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("filter type \"sample\" is already provided by built-in");
    }

    @Test
    void twoArchivesOfOnePluginAreRefusedNamingBoth(@TempDir Path dir) throws Exception {
        PluginArchives.write(dir.resolve("sample-1.0.zip"), "sample", COMPATIBLE, SampleFilterFactory.class, false);
        Files.copy(dir.resolve("sample-1.0.zip"), dir.resolve("sample-1.1.zip"));

        assertThatThrownBy(() -> FilterFactories.load(dir, PluginArchives.noBuiltIns()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("sample-1.1.zip") + ": plugin sample is in the plugins directory twice: "
                        + "sample-1.0.zip (version 1.0.0) and sample-1.1.zip (version 1.0.0); remove one of them");
    }

    @Test
    void missingDirectoryMeansNoPlugins(@TempDir Path dir) {
        try (FilterFactories factories = FilterFactories.load(dir.resolve("absent"), List.of())) {
            assertThat(factories.types()).isEmpty();
        }
    }

    @Test
    void unknownFilterTypeIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> EmbeddedGatehouse.builder()
                .config("plugins: { directory: \"" + dir + "\" }\nfilters: [ { type: nope } ]\n").start())
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].type: unknown filter type \"nope\" (available: none, the plugins directory has no plugins)");
    }
}
