package io.gatehouse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A plugin's built archive (the {@code -plugin.zip} its build makes), for the integration test
 * that loads it as production does: what it holds, and a copy of it in a plugins directory.
 *
 * <pre>{@code
 * private static final PluginArchive ARCHIVE = PluginArchive.built("target/my-filter-1.0-plugin.zip");
 *
 * @Test
 * void theArchiveLoads(@TempDir Path plugins) {
 *     assertThat(ARCHIVE.entries()).contains("plugin.properties", "classes/META-INF/extensions.idx");
 *     ARCHIVE.copyInto(plugins);
 *     try (EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
 *             .config("plugins: { directory: \"" + plugins + "\" }\nfilters: [ { type: my-filter } ]").start()) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class PluginArchive {

    /** The system property a plugin's build sets to the archive it made (failsafe {@code systemPropertyVariables}). */
    public static final String PROPERTY = "plugin.archive";

    private final Path file;

    private PluginArchive(Path file) {
        this.file = file;
    }

    /**
     * @param defaultPath where the archive is when {@value #PROPERTY} is not set (a run from the IDE)
     * @return the archive the build made
     */
    public static PluginArchive built(String defaultPath) {
        return new PluginArchive(Path.of(System.getProperty(PROPERTY, Objects.requireNonNull(defaultPath, "defaultPath"))));
    }

    /** @return the archive file */
    public Path file() {
        return file;
    }

    /**
     * @return the names of the archive's entries, in archive order ({@code plugin.properties},
     *     {@code classes/...}, {@code lib/...})
     * @throws UncheckedIOException when the archive cannot be read
     */
    public List<String> entries() {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return names;
    }

    /**
     * Copies the archive into a plugins directory, as an operator drops it there.
     *
     * @param pluginsDirectory the directory ({@code plugins.directory})
     * @return the copy
     * @throws UncheckedIOException when the copy fails
     */
    public Path copyInto(Path pluginsDirectory) {
        try {
            return Files.copy(file, pluginsDirectory.resolve(file.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + file + " into " + pluginsDirectory, e);
        }
    }
}
