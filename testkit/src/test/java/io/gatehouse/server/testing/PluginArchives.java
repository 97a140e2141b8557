package io.gatehouse.server.testing;

import io.gatehouse.api.ProxyFilterFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds PF4J plugin archives (zip with plugin.properties, classes/, lib/) from test classes. */
public final class PluginArchives {

    private PluginArchives() {
    }

    /**
     * @param target the zip to write
     * @param id plugin id
     * @param requires the {@code plugin.requires} range
     * @param factory a factory class whose package is copied into {@code classes/}
     * @param bundleApi whether to (wrongly) bundle the Gatehouse API in {@code lib/}
     * @return {@code target}
     */
    public static Path write(Path target, String id, String requires, Class<?> factory, boolean bundleApi) {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            put(zip, "plugin.properties", ("plugin.id=" + id + "\nplugin.version=1.0.0\nplugin.requires=" + requires
                    + "\nplugin.provider=tests\n").getBytes(StandardCharsets.UTF_8));
            put(zip, "classes/META-INF/extensions.idx", (factory.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            Path classes = codeSource(factory);
            String packagePath = factory.getPackageName().replace('.', '/');
            try (Stream<Path> files = Files.list(classes.resolve(packagePath))) {
                for (Path file : files.toList()) {
                    put(zip, "classes/" + packagePath + "/" + file.getFileName(), Files.readAllBytes(file));
                }
            }
            if (bundleApi) {
                put(zip, "lib/proxy-api.jar", apiJar());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /**
     * A plugin archive of a given version with extra resources in {@code classes/}.
     *
     * @param target the zip to write
     * @param id plugin id
     * @param version plugin version
     * @param factory a factory class whose package is copied into {@code classes/}
     * @param resources extra files for {@code classes/}, by name
     * @return {@code target}
     */
    public static Path writeVersion(Path target, String id, String version, Class<?> factory, java.util.Map<String, String> resources) {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            put(zip, "plugin.properties", ("plugin.id=" + id + "\nplugin.version=" + version + "\nplugin.requires=*"
                    + "\nplugin.provider=tests\n").getBytes(StandardCharsets.UTF_8));
            put(zip, "classes/META-INF/extensions.idx", (factory.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            Path classes = codeSource(factory);
            String packagePath = factory.getPackageName().replace('.', '/');
            try (Stream<Path> files = Files.list(classes.resolve(packagePath))) {
                for (Path file : files.toList()) {
                    put(zip, "classes/" + packagePath + "/" + file.getFileName(), Files.readAllBytes(file));
                }
            }
            for (java.util.Map.Entry<String, String> resource : resources.entrySet()) {
                put(zip, "classes/" + resource.getKey(), resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /**
     * A jar as {@code mvn package} of a plugin project makes it besides the plugin archive:
     * classes and extension index at its root, a manifest without {@code Plugin-Id}, and Maven's
     * {@code pom.properties} when {@code artifactId} is given.
     *
     * @param target the jar to write
     * @param factory a factory class whose package is copied in
     * @param artifactId the project's artifactId, or empty for a jar without Maven's descriptor
     * @param version the project's version
     * @return {@code target}
     */
    public static Path writePlainJar(Path target, Class<?> factory, String artifactId, String version) {
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(target))) {
            put(jar, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: Maven JAR Plugin 3.4.1\r\nBuild-Jdk-Spec: 17\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            put(jar, "META-INF/extensions.idx", (factory.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            if (!artifactId.isEmpty()) {
                put(jar, "META-INF/maven/com.example/" + artifactId + "/pom.properties",
                        ("artifactId=" + artifactId + "\ngroupId=com.example\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Path classes = codeSource(factory);
            String packagePath = factory.getPackageName().replace('.', '/');
            try (Stream<Path> files = Files.list(classes.resolve(packagePath))) {
                for (Path file : files.toList()) {
                    put(jar, packagePath + "/" + file.getFileName(), Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static byte[] apiJar() throws IOException {
        Path api = codeSource(ProxyFilterFactory.class);
        if (Files.isRegularFile(api)) {
            return Files.readAllBytes(api);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream jar = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(api)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                put(jar, api.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return bytes.toByteArray();
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(content);
        zip.closeEntry();
    }

    /** @return an empty list, for readability at call sites */
    public static List<ProxyFilterFactory<?>> noBuiltIns() {
        return List.of();
    }
}
