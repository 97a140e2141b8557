package io.gatehouse.server.outbound;

import java.time.Duration;

/**
 * The fixed shape of the outbound client.
 *
 * @param ioThreads its I/O threads ({@code gatehouse-outbound-N})
 * @param maxPerRoute pooled connections per origin ({@code scheme://host:port})
 * @param maxTotal pooled connections in all
 * @param idleTimeout an idle pooled connection is closed after this long
 */
public record OutboundSettings(int ioThreads, int maxPerRoute, int maxTotal, Duration idleTimeout) {

    /** Two I/O threads, 32 connections per origin, 256 in all, 60 s idle. */
    public static final OutboundSettings DEFAULTS = new OutboundSettings(2, 32, 256, Duration.ofSeconds(60));

    /** Checks the values. */
    public OutboundSettings {
        if (ioThreads < 1 || maxPerRoute < 1 || maxTotal < maxPerRoute || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("invalid outbound client settings: " + ioThreads + ", " + maxPerRoute + ", " + maxTotal + ", " + idleTimeout);
        }
    }
}
