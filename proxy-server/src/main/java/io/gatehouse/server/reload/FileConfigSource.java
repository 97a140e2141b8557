package io.gatehouse.server.reload;

import io.gatehouse.server.config.ConfigDocument;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.GatehouseConfig;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The config file, read again on every reload, with the command line's overrides applied.
 *
 * @param loader reads and validates
 * @param path the YAML file
 * @param overrides the command line's changes (such as {@code --upstream})
 */
public record FileConfigSource(ConfigLoader loader, Path path, UnaryOperator<GatehouseConfig> overrides) implements ConfigSource {

    @Override
    public ConfigDocument read() {
        ConfigDocument document = loader.loadDocument(path);
        return new ConfigDocument(overrides.apply(document.config()), document.tree());
    }

    @Override
    public Optional<Path> file() {
        return Optional.of(path);
    }
}
