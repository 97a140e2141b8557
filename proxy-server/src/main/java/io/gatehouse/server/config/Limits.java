package io.gatehouse.server.config;

/**
 * {@code server.limits}.
 *
 * @param requestLine longest request line in bytes; past it 414
 * @param headers largest request header section in bytes; past it 431
 * @param body largest request body in bytes; past it 413
 */
public record Limits(long requestLine, long headers, long body) {
}
