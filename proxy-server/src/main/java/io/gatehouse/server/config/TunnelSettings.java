package io.gatehouse.server.config;

import java.time.Duration;

/**
 * WebSocket tunnels: an HTTP/1.1 {@code Upgrade: websocket} request that the origin accepts
 * with 101 becomes a byte tunnel between the client and origin connections.
 *
 * @param websocket {@code server.websocket.enabled}: whether upgrade requests are tunnelled;
 *     when off, {@code Upgrade} is dropped like any hop-by-hop field
 * @param idle {@code server.timeouts.tunnel-idle}: a tunnel with no byte moving in either
 *     direction for this long is closed
 * @param max {@code server.limits.tunnels}: most tunnels open at once; past it an upgrade is
 *     answered 503
 */
public record TunnelSettings(boolean websocket, Duration idle, int max) {

    /** Tunnels on, one hour of idleness, 1024 at once. */
    public static final TunnelSettings DEFAULTS = new TunnelSettings(true, Duration.ofHours(1), 1024);
}
