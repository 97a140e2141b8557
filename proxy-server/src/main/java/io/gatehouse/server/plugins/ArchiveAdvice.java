package io.gatehouse.server.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What to tell a user who dropped a file without a plugin descriptor into the plugins directory,
 * most often the plain {@code .jar} of a plugin project instead of its {@code -plugin.zip}.
 */
final class ArchiveAdvice {

    private ArchiveAdvice() {
    }

    /**
     * @param archive the file in the plugins directory
     * @return the sentence for its start-up error, naming the archive to copy when the jar tells
     */
    static String noDescriptor(Path archive) {
        if (archive.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
            return "not a Gatehouse plugin archive (no Plugin-Id in its manifest): copy "
                    + pluginZip(archive).orElse("target/*-plugin.zip") + " from the plugin's build instead of its plain jar";
        }
        return "not a Gatehouse plugin archive (no plugin.properties with a plugin.id, nor a manifest with a Plugin-Id): "
                + "copy the target/*-plugin.zip that a build with gatehouse-plugin-parent makes";
    }

    /**
     * The archive that the build of this jar made too, {@code target/ARTIFACT-VERSION-plugin.zip},
     * from the {@code pom.properties} Maven puts in every jar.
     */
    static Optional<String> pluginZip(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> poms = new ArrayList<>();
            file.stream().filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties"))
                    .forEach(poms::add);
            if (poms.size() != 1) {
                return Optional.empty();
            }
            Properties pom = new Properties();
            try (InputStream in = file.getInputStream(poms.get(0))) {
                pom.load(in);
            }
            String artifact = pom.getProperty("artifactId", "");
            String version = pom.getProperty("version", "");
            return artifact.isBlank() || version.isBlank() ? Optional.empty()
                    : Optional.of("target/" + artifact.trim() + "-" + version.trim() + "-plugin.zip");
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
