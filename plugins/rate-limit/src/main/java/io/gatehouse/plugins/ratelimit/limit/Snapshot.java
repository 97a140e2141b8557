package io.gatehouse.plugins.ratelimit.limit;

/**
 * A key's state relative to "now", so that it can move between clocks (this process's and
 * Redis's). Immutable.
 *
 * @param level the token bucket's tokens, the GCRA's tokens ({@code burst} minus the
 *     theoretical arrival time's lead in emission intervals), or the sliding window's
 *     current count; may be negative (tokens) after a charge beyond the limit
 * @param previous the sliding window's previous count (0 for the others)
 * @param elapsedNanos how far into its current window the sliding window is (0 for the others)
 */
public record Snapshot(double level, long previous, long elapsedNanos) {
}
