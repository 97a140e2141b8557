package io.gatehouse.server.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How the server is operated while it runs.
 *
 * @param adminToken {@code admin.token}: the bearer token the admin listener requires (all
 *     endpoints but {@code /health} and {@code /ready}); required when {@code admin.listen} is not
 *     a loopback address
 * @param drainDelay {@code server.timeouts.drain-delay}: on a drain or stop, how long the listeners
 *     still accept new connections after readiness turned false, so load balancers in front notice
 * @param watchConfig {@code reload.watch}: reload when the config file changes
 */
public record Operations(Optional<String> adminToken, Duration drainDelay, boolean watchConfig) {

    /** No token, no delay, no watch. */
    public static final Operations DEFAULTS = new Operations(Optional.empty(), Duration.ZERO, false);

    /** Keeps the token out of logs and {@code toString()}. */
    @Override
    public String toString() {
        return "Operations[adminToken=" + adminToken.map(t -> "(redacted)").orElse("none") + ", drainDelay=" + drainDelay
                + ", watchConfig=" + watchConfig + "]";
    }
}
