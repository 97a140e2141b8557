package io.gatehouse.server.reload;

import io.gatehouse.api.ConfigException;
import io.gatehouse.server.config.ConfigDocument;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a reload reads the configuration from: a file today, any store later (the reload path
 * only needs a validated {@link ConfigDocument}).
 */
public interface ConfigSource {

    /**
     * Reads and validates the configuration as it is now.
     *
     * @return the document
     * @throws ConfigException naming the key or file at fault
     */
    ConfigDocument read();

    /** @return the file to watch for changes, when the source is one */
    default Optional<Path> file() {
        return Optional.empty();
    }
}
