package io.gatehouse.plugins.canary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code canary} filter's configuration.
 *
 * @param splits the splits at start-up
 * @param watch a YAML file whose {@code splits} replace them whenever it changes, or empty
 * @param watchInterval how often the file is checked
 */
record CanaryConfig(List<Split> splits, Optional<Path> watch, Duration watchInterval) {

    CanaryConfig {
        splits = List.copyOf(splits);
    }
}
