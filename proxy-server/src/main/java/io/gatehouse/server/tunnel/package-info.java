/**
 * WebSocket tunnels: the upgrade request's own origin connection, the origin's response head read
 * by the proxy, and, after a 101, both raw connections spliced with a bounded buffer per
 * direction. See docs/websocket.md.
 */
package io.gatehouse.server.tunnel;
