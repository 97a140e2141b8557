package io.gatehouse.server.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the admin listener can ask of the server beyond reading its chain: each supplier answers
 * with the fields of a JSON object (or list).
 *
 * @param reload reloads the configuration; its answer has {@code status} {@code applied} or {@code rejected}
 * @param drain starts draining
 * @param config the effective configuration, secrets redacted
 * @param plugins the loaded plugins
 * @param token {@code admin.token}, when set
 */
public record AdminActions(Supplier<Map<String, Object>> reload, Supplier<Map<String, Object>> drain,
                           Supplier<Map<String, Object>> config, Supplier<List<Map<String, Object>>> plugins,
                           Optional<String> token) {

    /** @return actions that only say they are not available (an admin listener without a server behind it) */
    public static AdminActions none() {
        Supplier<Map<String, Object>> absent = () -> Map.of("status", "unavailable");
        return new AdminActions(absent, absent, absent, List::of, Optional.empty());
    }
}
