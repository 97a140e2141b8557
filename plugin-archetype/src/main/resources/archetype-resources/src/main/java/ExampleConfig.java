package ${package};

import java.util.Optional;

/**
 * The typed configuration of the example filter, read once at start-up from the
 * {@code config:} section of its {@code filters[]} entry.
 *
 * @param requiredHeader requests without this header are refused with 400; empty: no check
 * @param responseHeader the header added to every response
 * @param responseValue its value
 */
public record ExampleConfig(Optional<String> requiredHeader, String responseHeader, String responseValue) {
}
