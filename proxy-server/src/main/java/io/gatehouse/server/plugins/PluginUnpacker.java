package io.gatehouse.server.plugins;

import io.gatehouse.api.ConfigException;
import org.pf4j.util.FileUtils;
import org.pf4j.util.Unzip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Unpacks {@code .zip} plugin archives into the work directory, where PF4J loads them from (a
 * {@code .jar} is loaded as it is). The plugins directory itself may be read-only, as in an
 * installation owned by root and run as another user: only the work directory must be writable.
 * An archive already unpacked and not changed since is not unpacked again.
 */
final class PluginUnpacker {

    private PluginUnpacker() {
    }

    /**
     * @param archive a file of the plugins directory
     * @param workDirectory where zips are unpacked
     * @return the path PF4J loads the plugin from
     * @throws ConfigException naming the archive when it is broken, or {@code plugins.work-directory}
     *     when it cannot be written
     */
    static Path unpack(Path archive, Path workDirectory) {
        String name = archive.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            return archive;
        }
        return unpack(archive, workDirectory, workDirectory.resolve(name.substring(0, name.length() - 4)));
    }

    /**
     * @param archive a {@code .zip} of the plugins directory
     * @param workDirectory where zips are unpacked
     * @param target the directory to unpack it into (a fresh one when an older version of the
     *     same archive is still loaded from the usual place)
     * @return {@code target}
     */
    static Path unpack(Path archive, Path workDirectory, Path target) {
        try {
            if (Files.isDirectory(target) && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(archive)) >= 0) {
                return target;
            }
        } catch (IOException e) {
            // unpack again
        }
        try {
            Files.createDirectories(workDirectory);
        } catch (IOException e) {
            throw notWritable(workDirectory);
        }
        if (!Files.isWritable(workDirectory)) {
            throw notWritable(workDirectory);
        }
        try {
            if (Files.exists(target)) {
                FileUtils.delete(target);
            }
            new Unzip(archive.toFile(), target.toFile()).extract();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(archive.toString(), "broken plugin archive (" + e.getMessage() + ")");
        }
        return target;
    }

    private static ConfigException notWritable(Path workDirectory) {
        return new ConfigException("plugins.work-directory", "cannot unpack plugin archives into " + workDirectory
                + ": it is not writable; point plugins.work-directory at a writable directory");
    }
}
